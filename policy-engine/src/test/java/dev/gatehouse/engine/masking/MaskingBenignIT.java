package dev.gatehouse.engine.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.masking.catalog.JdbcCatalog;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.CorpusCase;
import dev.gatehouse.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The benign corpus, analysed by the SQL analyser, under the reference masking: PostgreSQL's own
 * result, unchanged, every cell the very array the upstream sent. Writing cases run as the writer
 * role on a private copy of the shop database, inside a transaction that is rolled back.
 */
class MaskingBenignIT {

  private static String database;
  private static PostgresSqlAnalyzer analyzer;
  private static CatalogMaskPlanner planner;

  @BeforeAll
  static void setUp() {
    TestPostgres pg = TestPostgres.get();
    database = pg.createShopDatabase("masking_benign");
    analyzer = new PostgresSqlAnalyzer();
    planner =
        new CatalogMaskPlanner(
            new JdbcCatalog(
                db -> {
                  try {
                    return pg.connect(db, pg.reader());
                  } catch (SQLException e) {
                    throw new IllegalStateException(e);
                  }
                },
                Duration.ofMinutes(1)),
            null);
  }

  @org.junit.jupiter.api.AfterAll
  static void tearDown() {
    analyzer.close();
  }

  static Stream<CorpusCase> allowCases() {
    return CorpusCase.all().stream().filter(c -> c.expect().equals("allow"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allowCases")
  void rowsComeBackUnchanged(CorpusCase c) throws SQLException {
    TestPostgres pg = TestPostgres.get();
    boolean etl = c.principal().equals("etl-nightly");
    try (Connection conn = pg.connect(database, etl ? pg.writer() : pg.reader())) {
      conn.setAutoCommit(false);
      List<WireResults.Result> results = WireResults.text(conn, c.sql());
      conn.rollback();
      check(c, results);
      if (!c.sql().contains(";")) {
        List<WireResults.Result> binary = WireResults.binary(conn, c.sql());
        conn.rollback();
        check(c, binary);
      }
    }
  }

  private static void check(CorpusCase c, List<WireResults.Result> results) {
    // the SQL analyser's analysis, planned one result (statement) at a time
    Analysis message = analyzer.analyze(c.sql(), AnalysisContext.DEFAULT);
    List<Integer> rowStatements = new java.util.ArrayList<>();
    for (int i = 0; i < message.statements().size(); i++) {
      if (!message.statements().get(i).outputColumns().isEmpty()) {
        rowStatements.add(i);
      }
    }
    for (int r = 0; r < results.size(); r++) {
      WireResults.Result result = results.get(r);
      Analysis analysis =
          rowStatements.size() == results.size()
              ? CatalogMaskPlanner.statementAnalysis(message, rowStatements.get(r))
              : message;
      MaskPlan plan =
          planner.plan(
              ReferenceMasking.forPrincipal(c.principal()), analysis, result.columns(), database);
      for (byte[][] row : result.rows()) {
        for (int i = 0; i < row.length; i++) {
          byte[] out = plan.inspects(i) ? plan.apply(i, row[i]) : row[i];
          assertThat(out).as("%s column %s", c, result.columns().get(i).name()).isSameAs(row[i]);
        }
      }
      assertThat(plan.applied()).as("%s applies no mask", c).isEmpty();
    }
  }
}
