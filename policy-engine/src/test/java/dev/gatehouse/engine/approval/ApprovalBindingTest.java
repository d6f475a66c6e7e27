package dev.gatehouse.engine.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ApprovalBindingTest {

  @Test
  void onlySurroundingWhitespaceAndTrailingSemicolonsAreIgnored() {
    assertThat(ApprovalBinding.normalize("  DELETE FROM t WHERE id = 1 ;; \n"))
        .isEqualTo("DELETE FROM t WHERE id = 1");
    assertThat(ApprovalBinding.sameSql("DELETE FROM t WHERE id = 1", "DELETE FROM t WHERE id = 1;"))
        .isTrue();
    assertThat(ApprovalBinding.sameSql("DELETE FROM t WHERE id = 1", "DELETE FROM t WHERE  id = 1"))
        .isFalse();
    assertThat(ApprovalBinding.sameSql("DELETE FROM t WHERE id = 1", "delete from t where id = 1"))
        .isFalse();
    assertThat(ApprovalBinding.sameSql("SELECT ';'", "SELECT ';';")).isTrue();
  }

  @Test
  void nullParametersStayDistinctFromText() {
    assertThat(ApprovalBinding.params(Arrays.asList("a", null)))
        .isNotEqualTo(ApprovalBinding.params(Arrays.asList("a", "NULL")))
        .isEqualTo(Arrays.asList("a", null));
    assertThat(ApprovalBinding.params(null)).isEmpty();
  }
}
