package dev.gatehouse.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.admission.Admission;
import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.AwaitingApproval;
import dev.gatehouse.engine.admission.Refused;
import dev.gatehouse.engine.admission.StatementRequest;
import dev.gatehouse.engine.approval.testing.MemoryApprovalService;
import dev.gatehouse.engine.audit.testing.MemoryAuditTrail;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.masking.CatalogMaskPlanner;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.ReferencePolicy;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.RulePolicyEvaluator;
import dev.gatehouse.engine.sql.CachingSqlAnalyzer;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.CorpusCase;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Gate#admitCached}, the admission a front end makes on its event loop (issue 15): it
 * answers only from the analysis cache and the catalog cache, and then exactly as {@link
 * Gate#admit} would; anything else gets null, with nothing decided, recorded or read.
 */
class CachedAdmissionIT {

  private final TestPostgres pg = TestPostgres.get();
  private final AtomicInteger catalogReads = new AtomicInteger();
  private final MemoryAuditTrail audit = new MemoryAuditTrail();
  private PostgresSqlAnalyzer analyzer;
  private CatalogMaskPlanner planner;
  private DefaultGate gate;

  @BeforeEach
  void start() {
    String shop = pg.createShopDatabase("cached_admission");
    analyzer = new PostgresSqlAnalyzer();
    planner =
        CatalogMaskPlanner.overJdbc(
            database -> {
              catalogReads.incrementAndGet();
              try {
                return pg.connect(shop, pg.reader());
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            },
            "cached-admission-pseudonym-key".getBytes(StandardCharsets.UTF_8));
    gate =
        new DefaultGate(
            token -> {
              throw new AuthenticationException(
                  AuthenticationException.Reason.MALFORMED, "no tokens here");
            },
            new CachingSqlAnalyzer(analyzer, 1024),
            new RulePolicyEvaluator(ReferencePolicy.load()),
            planner,
            audit,
            MemoryApprovalService.approvedBy("dba", Duration.ofMinutes(5)),
            (database, role) -> {
              throw new IllegalStateException("no upstream in this test");
            },
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    analyzer.close();
  }

  private static StatementRequest request(String principal, String sql) {
    return new StatementRequest(
        ReferencePolicy.principal(ReferencePrincipal.of(principal)),
        new RequestContext(Channel.WIRE, "shop", "psql", "127.0.0.1", Instant.now()),
        "c1",
        AnalysisContext.DEFAULT,
        sql,
        null,
        null,
        null);
  }

  @Test
  void aStatementNeverAnalysedIsLeftToAWorkerWithNothingRecordedOrRead() {
    StatementRequest r = request("analyst", "SELECT id, email FROM app.customers WHERE id = 7");

    assertThat(gate.admitCached(r)).isNull();
    assertThat(audit.statements).isEmpty();
    assertThat(catalogReads).hasValue(0);

    Admission first = gate.admit(r);
    assertThat(first).isInstanceOf(Admitted.class);
    Admission again =
        gate.admitCached(request("analyst", "SELECT id, email FROM app.customers WHERE id = 8"));
    assertThat(again).isInstanceOf(Admitted.class);
    assertThat(((Admitted) again).verdict().decision())
        .isEqualTo(((Admitted) first).verdict().decision());
  }

  @Test
  void aCatalogNotCachedIsNeverReadOnTheCallersThread() {
    StatementRequest r = request("analyst", "SELECT id, email FROM app.customers WHERE id = 7");
    gate.admit(r);
    int reads = catalogReads.get();
    assertThat(reads).isPositive(); // masking applies to the analyst: the catalog was read

    planner.catalogChanged("shop");
    assertThat(gate.admitCached(r)).isNull();
    assertThat(catalogReads).hasValue(reads);
    assertThat(audit.statements).isEmpty();

    assertThat(gate.admit(r)).isInstanceOf(Admitted.class);
    assertThat(catalogReads.get()).isGreaterThan(reads);
    assertThat(gate.admitCached(r)).isInstanceOf(Admitted.class);
  }

  @Test
  void everyCorpusCaseIsAdmittedFromTheCachesAsAWorkerAdmitsIt() {
    List<String> differences = new ArrayList<>();
    int fromCache = 0;
    List<CorpusCase> cases = CorpusCase.all();
    for (CorpusCase c : cases) {
      StatementRequest r = request(c.principal(), c.sql());
      Admission viaWorker = gate.admit(r);
      int recorded = audit.statements.size();
      Admission cached = gate.admitCached(r);
      if (cached == null) {
        if (audit.statements.size() != recorded) {
          differences.add(c + ": recorded although left to a worker");
        }
        continue;
      }
      fromCache++;
      String a = describe(viaWorker);
      String b = describe(cached);
      if (!a.equals(b)) {
        differences.add(c + ":\n  worker: " + a + "\n  cached: " + b);
      }
      // A refusal is on record once per admission, whichever way it was made.
      int expected = recorded + (cached instanceof Refused ? 1 : 0);
      if (audit.statements.size() != expected) {
        differences.add(c + ": " + (audit.statements.size() - recorded) + " records");
      }
    }
    assertThat(differences).isEmpty();
    // Most of the corpus is cacheable; the rest (literals that shape the analysis) is not.
    assertThat(fromCache).isGreaterThan(cases.size() / 2);
  }

  private static String describe(Admission a) {
    return switch (a) {
      case Admitted ad ->
          "admitted " + ad.verdict().decision() + " " + ad.verdict().analysis().riskFlags();
      case AwaitingApproval aw -> "awaiting " + aw.verdict().decision();
      case Refused rf ->
          "refused "
              + rf.sqlState()
              + " "
              + rf.refusal()
              + " "
              + (rf.verdict() == null ? null : rf.verdict().decision());
    };
  }
}
