package dev.gatehouse.engine.sql.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Lineage of the constructs the masking must see through. */
class LineageResolverTest {

  static List<OutputColumn> lineage(String sql) {
    return lineage(sql, AnalysisContext.DEFAULT);
  }

  static List<OutputColumn> lineage(String sql, AnalysisContext context) {
    try {
      return LineageResolver.outputColumns(CCJSqlParserUtil.parse(sql), context);
    } catch (Exception e) {
      throw new AssertionError("cannot parse " + sql, e);
    }
  }

  static Set<String> sources(OutputColumn c) {
    return c.sources().stream().map(ColumnRef::qualified).collect(Collectors.toSet());
  }

  /** Each expression over {@code ssn} still derives from it, and is transparent. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "upper(ssn)",
        "lower(ssn)",
        "ssn || 'x'",
        "'x' || ssn || 'y'",
        "concat('a', ssn)",
        "concat_ws('-', ssn, 'b')",
        "substring(ssn from 1 for 3)",
        "substr(ssn, 2)",
        "format('%s', ssn)",
        "translate(ssn, '0123456789', 'abcdefghij')",
        "md5(ssn)",
        "encode(convert_to(ssn, 'UTF8'), 'base64')",
        "reverse(ssn)",
        "regexp_replace(ssn, '-', '', 'g')",
        "ssn::text",
        "CAST(ssn AS varchar(20))",
        "ssn COLLATE \"C\"",
        "CASE WHEN id > 1 THEN ssn ELSE 'none' END",
        "CASE ssn WHEN 'a' THEN 'b' END",
        "coalesce(ssn, 'x')",
        "left(ssn, 3) || right(ssn, 4)",
        "string_agg(ssn, ',')",
        "string_agg(ssn, ',' ORDER BY id)",
        "array_agg(ssn)",
        "json_agg(ssn)",
        "jsonb_build_object('s', ssn)",
        "max(ssn) OVER (PARTITION BY id)",
        "first_value(ssn) OVER (ORDER BY id)",
        "lag(ssn, 1) OVER (ORDER BY id)",
        "ARRAY[ssn]",
        "(ssn)",
        "ssn = '219-09-9999'",
        "length(ssn)",
        "pg_catalog.upper(ssn)",
        "trim(both ' ' from ssn)",
        "overlay(ssn placing 'x' from 1 for 2)"
      })
  void expressionsDeriveFromTheirColumns(String expression) {
    List<OutputColumn> out = lineage("SELECT " + expression + " FROM app.customers");
    assertThat(out).hasSize(1);
    assertThat(sources(out.getFirst())).as(expression).contains("app.customers.ssn");
    assertThat(out.getFirst().opaque()).as(expression).isFalse();
  }

  /** Whole-row references of every shape count every column of the table. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT c FROM app.customers c",
        "SELECT c::text FROM app.customers c",
        "SELECT ROW(c.*) FROM app.customers c",
        "SELECT row_to_json(c) FROM app.customers c",
        "SELECT to_jsonb(c) FROM app.customers c",
        "SELECT json_agg(c) FROM app.customers c",
        "SELECT to_json(c.*) FROM app.customers AS c",
        "SELECT customers FROM app.customers",
        "TABLE app.customers",
        "SELECT * FROM app.customers",
        "SELECT c.* FROM app.customers c",
        "SELECT x FROM (SELECT c FROM app.customers c) s(x)"
      })
  void wholeRowReferences(String sql) {
    List<OutputColumn> out = lineage(sql);
    assertThat(out.stream().flatMap(c -> sources(c).stream())).as(sql).contains("app.customers.*");
  }

  @Test
  void fieldOfAWholeRowIsThatColumn() {
    OutputColumn c = lineage("SELECT (c).email FROM app.customers c").getFirst();
    assertThat(sources(c)).containsExactly("app.customers.email");
  }

  @Test
  void aliasesAndQualifiedNames() {
    List<OutputColumn> out =
        lineage("SELECT c.email AS e, x.total FROM app.customers c JOIN app.orders x ON true");
    assertThat(out.get(0).name()).isEqualTo("e");
    assertThat(sources(out.get(0))).containsExactly("app.customers.email");
    assertThat(sources(out.get(1))).containsExactly("app.orders.total");
  }

  @Test
  void unqualifiedColumnOfAJoinNamesEveryCandidate() {
    OutputColumn c =
        lineage("SELECT email FROM app.customers c JOIN app.orders o ON o.customer_id = c.id")
            .getFirst();
    assertThat(sources(c)).contains("app.customers.email", "app.orders.email");
  }

  @Test
  void subqueriesInFromWithAndWithoutColumnLists() {
    assertThat(
            sources(lineage("SELECT s FROM (SELECT ssn AS s FROM app.customers) sub").getFirst()))
        .containsExactly("app.customers.ssn");
    assertThat(
            sources(
                lineage("SELECT b FROM (SELECT id, ssn FROM app.customers) sub(a, b)").getFirst()))
        .containsExactly("app.customers.ssn");
    assertThat(
            sources(lineage("SELECT sub.email FROM (SELECT * FROM app.customers) sub").getFirst()))
        .containsExactly("app.customers.email");
  }

  @Test
  void scalarCorrelatedAndInSubqueries() {
    OutputColumn scalar =
        lineage(
                "SELECT (SELECT email FROM app.customers c WHERE c.id = o.customer_id) FROM app.orders o")
            .getFirst();
    assertThat(sources(scalar)).contains("app.customers.email");
    OutputColumn in =
        lineage("SELECT id IN (SELECT card_number FROM app.payments) FROM app.orders").getFirst();
    assertThat(sources(in)).contains("app.payments.card_number", "app.orders.id");
    OutputColumn exists = lineage("SELECT EXISTS (SELECT ssn FROM app.customers) AS e").getFirst();
    assertThat(sources(exists)).contains("app.customers.ssn");
  }

  @Test
  void lateral() {
    List<OutputColumn> out =
        lineage("SELECT l.x FROM app.customers c, LATERAL (SELECT c.ssn AS x) l");
    assertThat(sources(out.getFirst())).containsExactly("app.customers.ssn");
  }

  @Test
  void ctesWithAndWithoutColumnLists() {
    assertThat(
            sources(
                lineage("WITH x AS (SELECT ssn AS h FROM app.customers) SELECT h FROM x")
                    .getFirst()))
        .containsExactly("app.customers.ssn");
    assertThat(
            sources(
                lineage("WITH x(a, b) AS (SELECT id, ssn FROM app.customers) SELECT b FROM x")
                    .getFirst()))
        .containsExactly("app.customers.ssn");
    assertThat(
            sources(
                lineage(
                        "WITH x AS (SELECT * FROM app.customers), y AS (SELECT email FROM x)"
                            + " SELECT * FROM y")
                    .getFirst()))
        .containsExactly("app.customers.email");
  }

  @Test
  void recursiveCteCarriesItsRecursiveTerm() {
    OutputColumn n =
        lineage(
                "WITH RECURSIVE t(n, s) AS (SELECT 1, ''::text UNION ALL"
                    + " SELECT n + 1, (SELECT ssn FROM app.customers LIMIT 1) FROM t WHERE n < 3)"
                    + " SELECT s FROM t")
            .getFirst();
    assertThat(sources(n)).contains("app.customers.ssn");
    OutputColumn sum =
        lineage(
                "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10)"
                    + " SELECT sum(n) FROM t")
            .getFirst();
    assertThat(sum.sources()).isEmpty();
    assertThat(sum.opaque()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"UNION", "UNION ALL", "INTERSECT", "EXCEPT"})
  void setOperationsTakeColumnIOfEveryBranch(String op) {
    List<OutputColumn> out =
        lineage("SELECT id, status FROM app.payments " + op + " SELECT id, ssn FROM app.customers");
    assertThat(sources(out.get(1)))
        .containsExactlyInAnyOrder("app.payments.status", "app.customers.ssn");
    assertThat(sources(out.get(0)))
        .containsExactlyInAnyOrder("app.payments.id", "app.customers.id");
  }

  @Test
  void aSetOperationOverAStarMixesEverything() {
    List<OutputColumn> out = lineage("SELECT * FROM app.orders UNION SELECT * FROM app.customers");
    assertThat(out.stream().flatMap(c -> sources(c).stream())).contains("app.customers.*");
  }

  @Test
  void valuesAndLiteralsHaveNoSources() {
    List<OutputColumn> out = lineage("VALUES (1, 'a'), (2, 'b')");
    assertThat(out).hasSize(2);
    assertThat(out).allMatch(c -> c.sources().isEmpty() && !c.opaque());
    OutputColumn now = lineage("SELECT now(), current_user, version(), 1 + 2").getFirst();
    assertThat(now.sources()).isEmpty();
    assertThat(now.opaque()).isFalse();
  }

  @Test
  void userFunctionsAndDynamicSqlAreOpaque() {
    assertThat(lineage("SELECT app.customer_email(1)").getFirst().opaque()).isTrue();
    assertThat(lineage("SELECT customer_email(1)").getFirst().opaque()).isTrue();
    OutputColumn xml =
        lineage(
                "SELECT xpath('/row/email/text()', query_to_xml('select * from app.customers',"
                    + " true, false, ''))")
            .getFirst();
    assertThat(xml.opaque()).isTrue();
    OutputColumn withArgs = lineage("SELECT app.mystery(ssn) FROM app.customers").getFirst();
    assertThat(withArgs.opaque()).isTrue();
    assertThat(sources(withArgs)).contains("app.customers.ssn");
  }

  @Test
  void catalogQueriesOfClientsAreTransparent() {
    String psqlDt =
        "SELECT n.nspname, c.relname, pg_catalog.pg_get_userbyid(c.relowner),"
            + " pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)),"
            + " pg_catalog.obj_description(c.oid, 'pg_class'), current_setting('search_path')"
            + " FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n"
            + " ON n.oid = c.relnamespace WHERE pg_catalog.pg_table_is_visible(c.oid)";
    assertThat(lineage(psqlDt)).noneMatch(OutputColumn::opaque);
    assertThat(
            lineage("SELECT (information_schema._pg_expandarray(ARRAY[1])).n").getFirst().opaque())
        .isFalse();
    assertThat(lineage("SELECT information_schema.other(1)").getFirst().opaque()).isTrue();
  }

  @Test
  void opaqueValuesComputedOnAreMarked() {
    String mark = LineageResolver.TRANSFORMED_OPAQUE.qualified();
    for (String sql :
        List.of(
            "SELECT md5(app.customer_email(1))",
            "SELECT reverse(app.customer_email(id)) FROM app.customers",
            "SELECT app.customer_email(1) || ''",
            "SELECT upper(x) FROM (SELECT app.customer_email(1) AS x) s",
            "SELECT y FROM (SELECT md5(app.customer_email(1)) AS y) s")) {
      assertThat(sources(lineage(sql).getFirst())).as(sql).contains(mark);
    }
    for (String sql :
        List.of(
            "SELECT app.customer_email(1)",
            "SELECT app.customer_email(1)::text",
            "SELECT (SELECT app.customer_email(1))",
            "SELECT x FROM (SELECT app.customer_email(1) AS x) s",
            "SELECT md5(email) FROM app.customers")) {
      assertThat(sources(lineage(sql).getFirst())).as(sql).doesNotContain(mark);
    }
  }

  @Test
  void functionsInFrom() {
    List<OutputColumn> out = lineage("SELECT * FROM generate_series(1, 3) AS g(i)");
    assertThat(out).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("i"));
    assertThat(out.getFirst().sources()).isEmpty();
    OutputColumn unnest =
        lineage("SELECT u FROM app.customers c, unnest(ARRAY[c.ssn]) AS u").getFirst();
    assertThat(sources(unnest)).contains("app.customers.ssn");
  }

  @Test
  void unqualifiedTablesFollowTheSearchPath() {
    AnalysisContext app = new AnalysisContext(List.of("\"$user\"", "app", "public"));
    assertThat(sources(lineage("SELECT ssn FROM customers", app).getFirst()))
        .containsExactly("app.customers.ssn");
    assertThat(sources(lineage("SELECT ssn FROM customers").getFirst()))
        .containsExactly("public.customers.ssn");
    assertThat(sources(lineage("SELECT relname FROM pg_class", app).getFirst()))
        .containsExactly("pg_catalog.pg_class.relname");
    assertThat(sources(lineage("SELECT \"Ssn\" FROM \"App\".\"Customers\"").getFirst()))
        .containsExactly("App.Customers.Ssn");
  }

  @Test
  void returningLists() {
    List<OutputColumn> out =
        lineage("DELETE FROM app.payments WHERE id = 1 RETURNING id, upper(card_number)");
    assertThat(sources(out.get(1))).containsExactly("app.payments.card_number");
    assertThat(lineage("UPDATE app.payments SET status = 'x' WHERE id = 1")).isEmpty();
    assertThat(
            sources(
                lineage("INSERT INTO app.orders (customer_id, total) VALUES (1, 2) RETURNING *")
                    .getFirst()))
        .containsExactly("app.orders.*");
  }

  @Test
  void tableColumnAliasesNameColumnsByPosition() {
    OutputColumn e = lineage("SELECT upper(e) FROM app.customers AS c(i, n, e)").getFirst();
    assertThat(sources(e)).containsExactly("app.customers.#3");
    OutputColumn unaliased = lineage("SELECT ssn FROM app.customers AS c(i, n, e)").getFirst();
    assertThat(sources(unaliased)).containsExactly("app.customers.ssn");
  }

  @Test
  void parenthesizedJoinsWithAndWithoutAlias() {
    OutputColumn aliased =
        lineage("SELECT upper(j.ssn) FROM (app.customers c JOIN app.orders o ON true) AS j")
            .getFirst();
    assertThat(sources(aliased)).contains("app.customers.ssn");
    OutputColumn bare =
        lineage("SELECT c.ssn FROM (app.customers c JOIN app.orders o ON true)").getFirst();
    assertThat(sources(bare)).containsExactly("app.customers.ssn");
    OutputColumn unknown = lineage("SELECT nowhere.ssn FROM app.customers").getFirst();
    assertThat(sources(unknown)).contains("app.customers.ssn");
  }

  @Test
  void mergeReturning() {
    List<OutputColumn> out =
        lineage(
            "MERGE INTO app.payments p USING app.customers c ON p.customer_id = c.id"
                + " WHEN MATCHED THEN UPDATE SET status = 'x' RETURNING p.id, c.ssn");
    assertThat(sources(out.get(1))).containsExactly("app.customers.ssn");
  }

  @Test
  void statementsWithoutRowsHaveNoColumns() {
    assertThat(lineage("UPDATE app.orders SET note = 'x' WHERE id = 1")).isEmpty();
    assertThat(lineage("CREATE TABLE app.t (a int)")).isEmpty();
  }
}
