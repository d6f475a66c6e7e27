package dev.gatehouse.engine.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.ParamMode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalParamsTest {

  private static final AuditKey KEY = AuditKey.of(new byte[32]).derive("test");

  @Test
  void clearShowsTheValuesAndNullAsNull() {
    assertThat(ApprovalParams.CLEAR.shown(Arrays.asList("a", null))).containsExactly("a", "NULL");
    assertThat(ApprovalParams.hashed(ApprovalParams.CLEAR.shown(List.of("a")))).isFalse();
  }

  @Test
  void hashedModesShowAndBindKeyedHashesOnly() {
    for (ParamMode mode : List.of(ParamMode.HMAC, ParamMode.OMIT)) {
      ApprovalParams p = new ApprovalParams(mode, KEY);
      List<String> kept = p.kept(Arrays.asList("4111111111111111", null));
      assertThat(kept.get(0)).isEqualTo("hmac:" + KEY.hmacHex("4111111111111111"));
      assertThat(kept.get(1)).isNull();
      assertThat(p.shown(Arrays.asList("4111111111111111", null)))
          .containsExactly("hmac:" + KEY.hmacHex("4111111111111111"), "NULL");
      assertThat(ApprovalParams.hashed(p.shown(List.of("x")))).isTrue();
      // another value, another hash: a re-bind with other values does not match the approval
      assertThat(p.kept(List.of("4111111111111112")))
          .isNotEqualTo(p.kept(List.of("4111111111111111")));
    }
  }
}
