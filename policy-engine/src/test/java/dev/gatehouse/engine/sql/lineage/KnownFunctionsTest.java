package dev.gatehouse.engine.sql.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.model.BuiltinCatalog;
import org.junit.jupiter.api.Test;

class KnownFunctionsTest {

  /**
   * A function that runs SQL text given as an argument reads what that text reads, which analysis
   * never sees: each must also be refused unless a grant names it (red-team round 6, F2: {@code
   * ts_rewrite} was opaque to lineage but allowed, and returned SSNs).
   */
  @Test
  void everyFunctionThatRunsSqlTextIsRefusedUnlessNamed() {
    assertThat(KnownFunctions.DYNAMIC_SQL).isNotEmpty();
    assertThat(BuiltinCatalog.DANGEROUS_FUNCTIONS).containsAll(KnownFunctions.DYNAMIC_SQL);
  }
}
