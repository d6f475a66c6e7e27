package dev.gatehouse.engine.sql;

import static dev.gatehouse.engine.sql.AnalyzerFixture.names;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SQL PREPARE / EXECUTE / DEALLOCATE as a session tracks them (pg_dump's functions and types). */
class PreparedSqlTest {

  private static final AnalysisContext PREPARED =
      new AnalysisContext(
          List.of("public"),
          Map.of(),
          Map.of("dumpfunc", "SELECT id, email FROM app.customers WHERE id = $1"));

  @Test
  void prepareExecuteAndDeallocateNameTheirStatement() {
    assertThat(PreparedSql.prepared("PREPARE dumpFunc(pg_catalog.oid) AS SELECT $1;"))
        .isEqualTo(new PreparedSql.Prepared("dumpfunc", "SELECT $1"));
    assertThat(PreparedSql.prepared("prepare \"P\" as select (1)"))
        .isEqualTo(new PreparedSql.Prepared("P", "select (1)"));
    assertThat(PreparedSql.prepared("PREPARE p SELECT 1")).isNull();
    assertThat(PreparedSql.prepared("PREPARE TRANSACTION 'x'")).isNull();
    assertThat(PreparedSql.executed("EXECUTE dumpFunc('16384')"))
        .isEqualTo(new PreparedSql.Executed("dumpfunc", "'16384'"));
    assertThat(PreparedSql.executed("execute p")).isEqualTo(new PreparedSql.Executed("p", null));
    assertThat(PreparedSql.executed("EXECUTE p(1) extra")).isNull();
    assertThat(PreparedSql.deallocated("DEALLOCATE PREPARE p")).isEqualTo("p");
    assertThat(PreparedSql.deallocated("deallocate all")).isEqualTo(PreparedSql.ALL);
  }

  @Test
  void anExecuteOfAPreparedStatementIsThatStatement() {
    StatementInfo s = AnalyzerFixture.one("EXECUTE dumpFunc('16384')", PREPARED);
    assertThat(s.commandTag()).isEqualTo("EXECUTE");
    assertThat(s.statementClass()).isEqualTo(StatementClass.READ);
    assertThat(s.riskFlags()).doesNotContain(RiskFlag.DYNAMIC_SQL);
    assertThat(names(s.tablesRead())).containsExactly("app.customers");
    assertThat(s.outputColumns()).extracting(OutputColumn::name).containsExactly("id", "email");
    assertThat(s.outputColumns().get(1).sources())
        .singleElement()
        .satisfies(c -> assertThat(c.column()).isEqualTo("email"));
  }

  @Test
  void itsArgumentsAreAnalysedToo() {
    StatementInfo s =
        AnalyzerFixture.one("EXECUTE dumpfunc((SELECT max(id) FROM app.orders))", PREPARED);
    assertThat(names(s.tablesRead())).containsExactlyInAnyOrder("app.customers", "app.orders");
  }

  @Test
  void anExecuteOfAnyOtherNameStaysDynamic() {
    StatementInfo s = AnalyzerFixture.one("EXECUTE other(1)", PREPARED);
    assertThat(s.riskFlags()).contains(RiskFlag.DYNAMIC_SQL);
  }

  @Test
  void aStatementPreparedEarlierInTheMessageIsKnownToTheExecuteAfterIt() {
    Analysis a =
        AnalyzerFixture.ANALYZER.analyze(
            "PREPARE q AS SELECT ssn FROM app.customers; EXECUTE q; DEALLOCATE q; EXECUTE q",
            AnalysisContext.DEFAULT);
    List<StatementInfo> s = a.statements();
    assertThat(names(s.get(1).tablesRead())).containsExactly("app.customers");
    assertThat(s.get(1).riskFlags()).doesNotContain(RiskFlag.DYNAMIC_SQL);
    assertThat(s.get(3).riskFlags()).contains(RiskFlag.DYNAMIC_SQL);
  }

  @Test
  void theCacheTellsExecutesOfDifferentStatementsApart() {
    CachingSqlAnalyzer cache = new CachingSqlAnalyzer(new PostgresSqlAnalyzer(), 100);
    AnalysisContext other =
        new AnalysisContext(List.of("public"), Map.of(), Map.of("dumpfunc", "SELECT 1"));
    assertThat(
            names(cache.analyze("EXECUTE dumpfunc(1)", PREPARED).statements().get(0).tablesRead()))
        .containsExactly("app.customers");
    assertThat(cache.analyze("EXECUTE dumpfunc(1)", other).statements().get(0).tablesRead())
        .isEmpty();
  }
}
