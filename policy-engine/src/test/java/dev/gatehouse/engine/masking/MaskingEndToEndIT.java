package dev.gatehouse.engine.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.ReferencePolicy;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.RulePolicyEvaluator;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.CorpusCase;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.Secrets;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * The whole path a statement takes, minus the front end: the SQL analyser, the reference policy's
 * decision (whose obligations carry the masking in force), the statement run as the read-only
 * upstream role, and the plan applied to the raw result bytes (rows in text and binary, and COPY).
 */
class MaskingEndToEndIT {

  private static PostgresSqlAnalyzer analyzer;
  private static RulePolicyEvaluator evaluator;
  private static CatalogMaskPlanner planner;
  private static Connection reader;

  @BeforeAll
  static void setUp() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    analyzer = new PostgresSqlAnalyzer();
    evaluator = new RulePolicyEvaluator(ReferencePolicy.load());
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
            "end-to-end-pseudonym-key".getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void tearDown() throws SQLException {
    reader.close();
    analyzer.close();
  }

  static Stream<CorpusCase> cases() {
    return CorpusCase.all().stream()
        .filter(
            c ->
                c.expect().equals("masked")
                    || c.expect().equals("deny_or_masked")
                    || c.clearValue() != null)
        // statements run here as gatehouse_reader: a case about the cleared readers' own
        // upstream role is checked through the gateway by the wire and MCP corpus ITs
        .filter(c -> !c.sql().toLowerCase(java.util.Locale.ROOT).contains("current_user"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void maskedAsThePolicyDecides(CorpusCase c) throws SQLException {
    Analysis analysis = analyzer.analyze(c.sql(), AnalysisContext.DEFAULT);
    Decision decision =
        evaluator.evaluate(
            ReferencePolicy.principal(ReferencePrincipal.of(c.principal())),
            analysis,
            new RequestContext(
                Channel.WIRE, TestPostgres.SHOP, "masking-it", "127.0.0.1", Instant.now()));
    if (!decision.allowed()) {
      assertThat(c.expect())
          .as("%s denied: %s", c, decision.explanation())
          .isEqualTo("deny_or_masked");
      return;
    }
    MaskingPolicy masking = decision.obligations().masking();
    assertThat(masking)
        .as("the unit tests' fixture is the reference policy's masking")
        .isEqualTo(ReferenceMasking.forPrincipal(c.principal()));
    if (c.sql().regionMatches(true, 0, "COPY", 0, 4)) {
      assertCopyMasked(c, analysis, masking);
      return;
    }
    for (List<WireResults.Result> results :
        List.of(WireResults.text(reader, c.sql()), WireResults.binary(reader, c.sql()))) {
      WireResults.Result result = results.getFirst();
      MaskPlan plan = planner.plan(masking, analysis, result.columns(), TestPostgres.SHOP);
      List<byte[][]> masked = MaskingCorpusIT.mask(plan, result.rows());
      if (c.clearValue() != null) {
        assertThat(plan.passesThrough()).isTrue();
        assertThat(new String(masked.getFirst()[0], StandardCharsets.UTF_8))
            .isEqualTo(c.clearValue());
        continue;
      }
      // A case that derives information (an md5, a count, an order) instead of carrying a value
      // must at least be masked by its plan; every other case must carry a secret unmasked.
      if (c.id().startsWith("lin-") && MaskingCorpusIT.leaks(result.rows()) == 0) {
        assertThat(plan.passesThrough()).as("%s is masked by its plan", c).isFalse();
      } else {
        assertThat(MaskingCorpusIT.leaks(result.rows()))
            .as("%s carries secrets unmasked", c)
            .isPositive();
      }
      assertThat(MaskingCorpusIT.leaks(masked)).as("%s leaks after %s", c, plan.applied()).isZero();
    }
  }

  private void assertCopyMasked(CorpusCase c, Analysis analysis, MaskingPolicy masking)
      throws SQLException {
    CopyCommand copy = CopyCommand.parse(c.sql());
    List<ResultColumn> columns = new ArrayList<>();
    for (ResultColumn r : WireResults.describe(reader, copy.query())) {
      columns.add(
          new ResultColumn(
              r.name(),
              r.tableOid(),
              r.columnNumber(),
              r.typeOid(),
              r.typeSize(),
              r.typeModifier(),
              copy.format().columnFormat()));
    }
    MaskPlan plan = planner.plan(masking, analysis, columns, TestPostgres.SHOP);
    CopyRowMasker masker = new CopyRowMasker(plan, columns.size(), copy.format());
    CopyOut out = reader.unwrap(PGConnection.class).getCopyAPI().copyOut(c.sql());
    byte[] data;
    int rows = 0;
    while ((data = out.readFromCopy()) != null) {
      Secrets.Secret leak = SecretScan.find(masker.mask(data));
      assertThat(leak).as("%s leaks", c).isNull();
      rows++;
    }
    assertThat(rows).isEqualTo(1000);
    System.out.println(c + " masked: " + plan.applied());
  }
}
