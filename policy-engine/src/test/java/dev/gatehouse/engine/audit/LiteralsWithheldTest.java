package dev.gatehouse.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LiteralsWithheldTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          SELECT id FROM app.customers WHERE ssn = '078-05-1120' | SELECT id FROM app.customers WHERE ssn = '?'
          SELECT 1 WHERE x = E'078\\x2d05' AND y = $q$4111 1111$q$ | SELECT ? WHERE x = '?' AND y = '?'
          SELECT * FROM t WHERE n = 78051120 OR n = 7.8e7 OR b = B'101' | SELECT * FROM t WHERE n = ? OR n = ? OR b = '?'
          SELECT "x" FROM t -- 078-05-1120 | SELECT "x" FROM t
          SELECT /* 078-05-1120 */ id FROM t | SELECT id FROM t
          SELECT id FROM t WHERE ssn = $1 | SELECT id FROM t WHERE ssn = $1
          SELECT U&'\\0030' | SELECT '?'
          """)
  void replacesEveryStringAndNumberConstantAndKeepsTheRest(String sql, String seen) {
    assertThat(LiteralsWithheld.sql(sql)).isEqualTo(seen);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      SELECT 'never closed
      SELECT $tag$ open
      """)
  void textTheLexerCannotReadIsWithheldWhole(String sql) {
    assertThat(LiteralsWithheld.sql(sql)).isEqualTo(LiteralsWithheld.UNREADABLE);
  }
}
