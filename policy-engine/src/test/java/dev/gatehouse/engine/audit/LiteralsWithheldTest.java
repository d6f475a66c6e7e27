package dev.gatehouse.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
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
          SELECT 1 AS "alice@example.com" | SELECT ? AS "?"
          SELECT 1 AS "078-05-1120", 2 AS "4111111111111111", 3 AS U&"\\0030" | SELECT ? AS "?", ? AS "?", ? AS "?"
          SELECT "Order", "customer_id" FROM app."Orders" | SELECT "Order", "customer_id" FROM app."Orders"
          SELECT alice@example.com FROM (SELECT 1 AS alice) AS x | SELECT **** FROM (SELECT ? AS alice) AS x
          SELECT 1 AS ｂｏｂ＠ｅｘａｍｐｌｅ．ｏｒｇ | SELECT ? AS "?"
          SELECT café FROM t | SELECT "?" FROM t
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

  /**
   * Red-team round 38: a 124 KB statement is kept cut at 64 Ki characters, and the cut fell inside
   * its long comment; the whole text was withheld, so a reviewer read nothing of it.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          SELECT count(*) FROM app.payments WHERE id > 7 /* nightly padding | SELECT count(*) FROM app.payments WHERE id > ?
          SELECT 1; UPDATE app.payments SET note = 'secret 078-05 | SELECT ?; UPDATE app.payments SET note =
          SELECT 1; SELECT $q$ 4111 1111 | SELECT ?; SELECT
          /* only a comment | ''
          """)
  void aCutTextShowsWhatCanBeReadAndWithholdsTheRest(String cut, String seen) {
    assertThat(LiteralsWithheld.sql(cut, true)).isEqualTo(seen + LiteralsWithheld.REST_UNREADABLE);
    assertThat(LiteralsWithheld.sql(cut, false)).isEqualTo(LiteralsWithheld.UNREADABLE);
  }

  @Test
  void aCutRecordIsShownUpToTheCutWithoutTheDigest() {
    String head = "SELECT email FROM app.customers WHERE ssn = '078-05-1120' /* " + "x".repeat(100);
    StatementRecord r =
        new StatementRecord(
            java.util.UUID.randomUUID(),
            java.time.Instant.EPOCH,
            "i",
            1,
            "iss",
            "etl-nightly",
            "workload",
            java.util.List.of(),
            "wire",
            "psql",
            "127.0.0.1",
            "app",
            head,
            new StatementRecord.Truncation(124081, "ab"),
            "CLEAR",
            java.util.List.of(),
            null,
            "REQUIRE_APPROVAL",
            java.util.List.of("max-rows-affected"),
            "",
            null,
            java.util.List.of("SELECT", "UPDATE"),
            java.util.List.of("app.customers"),
            java.util.List.of(),
            null);
    StatementRecord seen = LiteralsWithheld.of(r);
    assertThat(seen.sql())
        .isEqualTo(
            "SELECT email FROM app.customers WHERE ssn = '?'" + LiteralsWithheld.REST_UNREADABLE);
    assertThat(seen.sqlTruncated().length()).isEqualTo(124081);
    assertThat(seen.sqlTruncated().sha256()).isNull();
  }
}
