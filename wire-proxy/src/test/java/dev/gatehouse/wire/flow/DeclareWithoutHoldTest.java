package dev.gatehouse.wire.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which DECLAREs hold no WITH HOLD: only the words before FOR are its options. */
class DeclareWithoutHoldTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "declare c cursor for select 1|true",
        "declare c binary no scroll cursor without hold for select 1|true",
        "declare c cursor with hold for select 1|false",
        "declare c insensitive scroll cursor with hold for select 1|false",
        // red-team round 48: a CTE named `hold` after FOR is no option of the cursor
        "declare c1 cursor for with hold as (select 1 as x) select x from hold|true",
        "declare c cursor for select with hold from t|true",
        "select 1|false",
        "declared|false",
      })
  void optionsEndAtFor(String words, boolean withoutHold) {
    assertThat(ExtendedQueryFlow.declareWithoutHold(words)).isEqualTo(withoutHold);
  }
}
