package dev.gatehouse.engine.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ways of getting the secrets out beyond the corpus: each runs for real as the read-only role, must
 * carry a secret when unmasked, and must carry none after masking, in text and in binary format.
 */
class MaskingAdversarialIT {

  private static PostgresSqlAnalyzer analyzer;
  private static CatalogMaskPlanner planner;
  private static Connection reader;

  @BeforeAll
  static void setUp() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    analyzer = new PostgresSqlAnalyzer();
    reader = pg.connect(TestPostgres.SHOP, pg.reader());
    planner =
        CatalogMaskPlanner.overJdbc(
            db -> {
              try {
                return pg.connect(db, pg.reader());
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            },
            "adversarial-pseudonym-key".getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void tearDown() throws SQLException {
    reader.close();
    analyzer.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT (c).* FROM app.customers c",
        "SELECT c.* FROM app.customer_contacts c",
        "SELECT * FROM app.customers JOIN app.payments USING (card_number)",
        "SELECT * FROM app.customers NATURAL JOIN app.payments",
        "SELECT row(c.email) FROM app.customers c",
        "SELECT jsonb_agg(c ORDER BY c.id) FROM app.customers c",
        "SELECT array(SELECT ssn FROM app.customers)",
        "SELECT DISTINCT ON (ssn) ssn FROM app.customers ORDER BY ssn",
        "SELECT (SELECT c FROM app.customers c WHERE id = 1)",
        "SELECT x.* FROM (VALUES ((SELECT ssn FROM app.customers WHERE id = 1))) x",
        "SELECT * FROM json_to_record((SELECT row_to_json(c) FROM app.customers c WHERE id = 1)) AS x(ssn text)",
        "SELECT string_agg(c::text, ',') FROM app.customers c",
        "SELECT ARRAY[c] FROM app.customers c",
        "SELECT l.* FROM (SELECT * FROM app.customers) s, LATERAL (SELECT s.ssn) l",
        "SELECT * FROM (SELECT * FROM app.customers) s",
        "WITH t AS MATERIALIZED (SELECT * FROM app.customers) SELECT t.* FROM t",
        "SELECT c.email::varchar(100) FROM app.customers c",
        "SELECT lower(upper(email)) FROM app.customers",
        "SELECT convert_to(ssn, 'UTF8') FROM app.customers",
        "SELECT ssn::bytea FROM app.customers",
        "SELECT card_number::numeric FROM app.customers WHERE id < 4",
        "SELECT card_number::bigint FROM app.customers WHERE id < 4",
        "SELECT xmlelement(name x, ssn) FROM app.customers",
        "SELECT phraseto_tsquery('simple', app.customer_email(1))",
        "SELECT to_tsvector('simple', app.customer_email(2))",
        "SELECT to_json(array_agg(email)) FROM app.customers",
        "SELECT jsonb_build_object('e', email) ->> 'e' FROM app.customers",
        "SELECT split_part(email, '@', 1) || '@' || split_part(email, '@', 2) FROM app.customers",
        "SELECT * FROM unnest((SELECT array_agg(ssn) FROM app.customers)) u",
        "SELECT * FROM app.customers c WHERE c.id = 1 UNION ALL SELECT * FROM app.customers c WHERE c.id = 2",
        "SELECT email FROM app.customers INTERSECT SELECT email FROM app.customer_contacts",
        "SELECT payments.card_number FROM app.payments",
        "SELECT \"email\" FROM \"app\".\"customers\"",
        "SELECT upper(e) FROM app.customers AS c(i, n, e)",
        "SELECT upper(j.ssn) FROM (app.customers c JOIN app.orders o ON o.customer_id = c.id) AS j",
        "SELECT x.e FROM (SELECT * FROM app.customers AS c(i, n, e)) x",
        "SELECT xpath('//email/text()', query_to_xml('select email from app.customers', true, false, ''))",
        "SELECT app.customer_email(id) FROM app.customers WHERE id < 4",
        "SELECT md5(app.customer_email(1))",
        "SELECT reverse(app.customer_email(id)) FROM app.customers WHERE id < 4",
        "SELECT encode(convert_to(app.customer_email(1), 'UTF8'), 'base64')",
        "SELECT upper(x) FROM (SELECT app.customer_email(2) AS x) s",
        "SELECT ROW(app.customer_email(3))",
        "SELECT ARRAY[app.customer_email(1)]",
        "SELECT convert_to(app.customer_email(1), 'UTF8')"
      })
  void noSecretLeaves(String sql) throws SQLException {
    Analysis analysis = analyzer.analyze(sql, AnalysisContext.DEFAULT);
    for (List<WireResults.Result> results :
        List.of(WireResults.text(reader, sql), WireResults.binary(reader, sql))) {
      WireResults.Result result = results.getFirst();
      MaskPlan plan =
          planner.plan(ReferenceMasking.UNCLEARED, analysis, result.columns(), TestPostgres.SHOP);
      if (result.columns().getFirst().format() == ResultColumn.TEXT) {
        // binary numbers are not text: only the text form proves the statement reaches a secret
        assertThat(MaskingCorpusIT.leaks(result.rows())).as("unmasked %s", sql).isPositive();
      }
      assertThat(MaskingCorpusIT.leaks(MaskingCorpusIT.mask(plan, result.rows())))
          .as("%s masked by %s", sql, plan.applied())
          .isZero();
    }
  }

  /**
   * Red-team round 59: a value computed from a masked column is NULL or not by the value ({@code
   * nullif(substr(ssn, 1, 1), '2')} is NULL exactly when the first digit is 2; a regular-expression
   * {@code substring} is NULL when it does not match; a subscript past an array's end). Every guess
   * must come back the same, in text and binary format: there NULL is masked like any value.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT nullif(substr(ssn, 1, 1), '%s') FROM app.customers WHERE id = 1",
        "SELECT nullif(substr(card_number, 1, 1), '%s') FROM app.payments WHERE id = 1",
        "SELECT substring(ssn FROM '^%s') FROM app.customers WHERE id = 1",
        "SELECT (array_agg(DISTINCT s))[2] FROM (SELECT substr(ssn, 1, 1) AS s FROM app.customers"
            + " WHERE id = 1 UNION ALL SELECT '%s') t",
        "SELECT nullif(substr(email, 1, 1), '%s') || '' FROM app.customers WHERE id = 1"
      })
  void whetherADerivedValueIsNullIsMasked(String template) throws SQLException {
    java.util.Set<Boolean> nullUnmasked = new java.util.HashSet<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String guess : List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a")) {
      String sql = template.formatted(guess);
      Analysis analysis = analyzer.analyze(sql, AnalysisContext.DEFAULT);
      List<List<WireResults.Result>> formats =
          List.of(WireResults.text(reader, sql), WireResults.binary(reader, sql));
      for (int f = 0; f < formats.size(); f++) {
        WireResults.Result result = formats.get(f).getFirst();
        nullUnmasked.add(result.rows().getFirst()[0] == null);
        MaskPlan plan =
            planner.plan(ReferenceMasking.UNCLEARED, analysis, result.columns(), TestPostgres.SHOP);
        byte[] cell = MaskingCorpusIT.mask(plan, result.rows()).getFirst()[0];
        assertThat(cell).as("%s (format %d) masked", sql, f).isNotNull();
        seen.add(f + ":" + new String(cell, StandardCharsets.ISO_8859_1));
      }
    }
    // unmasked, some guess gives NULL and another does not: the channel is there to close
    assertThat(nullUnmasked).as("unmasked %s", template).containsExactlyInAnyOrder(true, false);
    // text and binary differ in format, never by the guess
    assertThat(seen).as("masked results of %s over every guess", template).hasSize(2);
  }

  /** The plain column keeps its NULL: an {@code IS NULL} lookup tells it anyway. */
  @org.junit.jupiter.api.Test
  void thePlainColumnKeepsItsNull() throws SQLException {
    String sql = "SELECT ssn, nullif(ssn, ssn) AS n FROM app.customers WHERE id = 1";
    Analysis analysis = analyzer.analyze(sql, AnalysisContext.DEFAULT);
    WireResults.Result result = WireResults.text(reader, sql).getFirst();
    MaskPlan plan =
        planner.plan(ReferenceMasking.UNCLEARED, analysis, result.columns(), TestPostgres.SHOP);
    assertThat(plan.apply(0, null)).isNull();
    assertThat(plan.apply(1, null)).isNotNull();
  }
}
