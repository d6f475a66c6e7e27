package dev.gatehouse.engine.audit;

import static dev.gatehouse.engine.audit.AuditFixtures.analysis;
import static dev.gatehouse.engine.audit.AuditFixtures.context;
import static dev.gatehouse.engine.audit.AuditFixtures.decision;
import static dev.gatehouse.engine.audit.AuditFixtures.principal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.AppliedMask;
import dev.gatehouse.engine.masking.MaskStrategy;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search and identity summaries over a small, known trail. */
class AuditSearchIT {

  @TempDir static Path spool;
  static ControlDatabase db;
  static AuditSearch search;
  static Instant start;
  static Instant end;
  static final Principal analyst = principal(ReferencePrincipal.ANALYST);
  static final Principal etl = principal(ReferencePrincipal.ETL_NIGHTLY);
  static final Principal dba = principal(ReferencePrincipal.DBA);

  @BeforeAll
  static void writeTrail() throws Exception {
    db = AuditFixtures.controlDatabase();
    search = new AuditSearch(db.dataSource());
    start = Instant.now().minusSeconds(1);
    AuditConfig config =
        AuditFixtures.config("gw-s", AuditFixtures.randomKey(), spool)
            .withParamMode(ParamMode.CLEAR);
    try (JdbcAuditTrail trail = JdbcAuditTrail.start(db, config)) {
      // analyst: 25 reads of customers (email masked), 1 denied DDL
      for (int i = 0; i < 25; i++) {
        StatementAudit a =
            trail.statement(
                event(
                    analyst,
                    "SELECT email FROM app.customers WHERE id = " + i,
                    "SELECT",
                    StatementClass.READ,
                    Set.of("app.customers"),
                    Set.of(),
                    Effect.ALLOW,
                    "analysts-read"));
        a.durable().get();
        a.complete(
            outcome(
                2,
                new AppliedMask("email", "app.customers.email", "pii-email", MaskStrategy.EMAIL)));
      }
      trail
          .statement(
              event(
                  analyst,
                  "DROP TABLE app.orders",
                  "DROP TABLE",
                  StatementClass.DDL,
                  Set.of(),
                  Set.of("app.orders"),
                  Effect.DENY,
                  "default-deny"))
          .durable()
          .get();
      // etl: writes to orders, one that needed approval
      for (int i = 0; i < 3; i++) {
        StatementAudit a =
            trail.statement(
                event(
                    etl,
                    "UPDATE app.orders SET status = 'shipped' WHERE id = " + i,
                    "UPDATE",
                    StatementClass.WRITE,
                    Set.of(),
                    Set.of("app.orders"),
                    Effect.ALLOW,
                    "etl-write"));
        a.durable().get();
        a.complete(outcome(1));
      }
      UUID approval = UUID.randomUUID();
      trail.approval(
          new ApprovalEvent(
              Instant.now(),
              approval,
              ApprovalEvent.Step.REQUESTED,
              etl.issuer(),
              etl.subject(),
              etl.issuer(),
              etl.subject(),
              "shop",
              null));
      trail.approval(
          new ApprovalEvent(
              Instant.now(),
              approval,
              ApprovalEvent.Step.APPROVED,
              dba.issuer(),
              dba.subject(),
              etl.issuer(),
              etl.subject(),
              "shop",
              null));
      AuditTrailIT.awaitCommitted(trail, 25 * 2 + 1 + 3 * 2 + 2);
    }
    end = Instant.now().plusSeconds(1);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  static StatementEvent event(
      Principal who,
      String sql,
      String tag,
      StatementClass cls,
      Set<String> read,
      Set<String> written,
      Effect effect,
      String rule) {
    return new StatementEvent(
        who,
        context("shop"),
        "c1",
        sql,
        List.of("p1"),
        analysis(sql, tag, cls, read, written, Set.of(RiskFlag.NO_WHERE)),
        decision(effect, rule),
        null);
  }

  static StatementOutcome outcome(long rows, AppliedMask... masks) {
    return new StatementOutcome(rows, Duration.ofMillis(3), List.of(masks), null, null, List.of());
  }

  @Test
  void searchesByEachCriterion() throws Exception {
    assertThat(search.search(AuditQuery.all().subject("analyst").page(100, null)).items())
        .hasSize(26);
    assertThat(search.search(AuditQuery.all().issuer(analyst.issuer()).page(100, null)).items())
        .hasSize(29);
    assertThat(search.search(AuditQuery.all().group("etl")).items()).hasSize(3);
    assertThat(search.search(AuditQuery.all().table("APP.ORDERS")).items()).hasSize(4);
    assertThat(search.search(AuditQuery.all().statementKind("drop table")).items()).hasSize(1);
    assertThat(search.search(AuditQuery.all().statementKind("WRITE")).items()).hasSize(3);
    assertThat(search.search(AuditQuery.all().decision("deny")).items())
        .singleElement()
        .satisfies(r -> assertThat(r.ruleIds()).containsExactly("default-deny"));
    assertThat(search.search(AuditQuery.all().ruleId("etl-write")).items()).hasSize(3);
    assertThat(
            search
                .search(AuditQuery.all().maskedColumn("app.customers.email").page(100, null))
                .items())
        .hasSize(25)
        .allSatisfy(r -> assertThat(r.outcome().maskRules()).containsExactly("pii-email"));
    assertThat(search.search(AuditQuery.all().text("where id = 7")).items())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.subject()).isEqualTo("analyst");
              assertThat(r.params()).containsExactly("p1");
              assertThat(r.outcome().rows()).isEqualTo(2);
              assertThat(r.tables()).containsExactly("app.customers");
            });
    assertThat(search.search(AuditQuery.all().text("100%")).items()).isEmpty();
    assertThat(search.search(AuditQuery.all().between(end, end.plusSeconds(60))).items()).isEmpty();
    assertThat(
            search
                .search(AuditQuery.all().subject("analyst").decision("ALLOW").table("app.orders"))
                .items())
        .isEmpty();
  }

  /**
   * A reader not cleared for masked values (red-team R18: the dba read a cleared user's {@code
   * WHERE ssn = '…'}) sees every literal withheld and clear parameters replaced, and a text filter
   * matches only the text that reader sees, so it cannot find which literal a record held.
   */
  @Test
  void aReaderWithoutClearanceSeesLiteralsWithheldAndCannotSearchForThem() throws Exception {
    AuditPage seen = search.search(AuditQuery.all().text("where id = ").page(100, null), false);
    assertThat(seen.items())
        .hasSize(28)
        .allSatisfy(
            r -> {
              assertThat(r.sql()).doesNotContainPattern("[0-9]").doesNotContain("shipped");
              assertThat(r.params()).containsOnly("[withheld]");
            });
    assertThat(seen.items())
        .anySatisfy(
            r -> assertThat(r.sql()).isEqualTo("SELECT email FROM app.customers WHERE id = ?"))
        .anySatisfy(
            r -> assertThat(r.sql()).isEqualTo("UPDATE app.orders SET status = '?' WHERE id = ?"));
    // The same text finds one record for a cleared reader; nothing, and no next page, for another.
    assertThat(search.search(AuditQuery.all().text("where id = 7"), true).items()).hasSize(1);
    AuditPage probe = search.search(AuditQuery.all().text("where id = 7").page(1, null), false);
    assertThat(probe.items()).isEmpty();
    assertThat(probe.nextCursor()).isNull();
    assertThat(search.search(AuditQuery.all().text("shipped"), false).items()).isEmpty();
    // Paging over withheld results visits every match once.
    Set<UUID> ids = new HashSet<>();
    String cursor = null;
    do {
      AuditPage page = search.search(AuditQuery.all().text("app.customers").page(4, cursor), false);
      page.items().forEach(r -> assertThat(ids.add(r.id())).isTrue());
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(ids).hasSize(25);
  }

  @Test
  void pagesWithACursorWithoutGapsOrRepeats() throws Exception {
    Set<UUID> seen = new HashSet<>();
    List<Instant> times = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      AuditPage page = search.search(AuditQuery.all().page(7, cursor));
      page.items()
          .forEach(
              r -> {
                assertThat(seen.add(r.id())).isTrue();
                times.add(r.at());
              });
      cursor = page.nextCursor();
      pages++;
    } while (cursor != null);
    assertThat(seen).hasSize(29);
    assertThat(pages).isEqualTo(5);
    assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
    assertThatThrownBy(() -> search.search(AuditQuery.all().page(7, "not-a-cursor")))
        .hasMessage("invalid search cursor `not-a-cursor`");
  }

  @Test
  void summarizesEachIdentityForAccessReviews() throws Exception {
    IdentitySummary a = search.summary(analyst.issuer(), "analyst", start, end);
    assertThat(a.statements()).isEqualTo(26);
    assertThat(a.tablesTouched()).containsExactly("app.customers", "app.orders");
    assertThat(a.statementClasses()).isEqualTo(Map.of("READ", 25L, "DDL", 1L));
    assertThat(a.rowsRead()).isEqualTo(50);
    assertThat(a.maskedColumns()).containsExactly("app.customers.email");
    assertThat(a.denials()).isEqualTo(1);
    assertThat(a.firstSeen()).isBefore(a.lastSeen());

    IdentitySummary e = search.summary(etl.issuer(), "etl-nightly", start, end);
    assertThat(e.statementClasses()).isEqualTo(Map.of("WRITE", 3L));
    assertThat(e.rowsRead()).isZero();
    assertThat(e.approvalsRequested()).isEqualTo(1);
    assertThat(e.approvalsGiven()).isZero();

    assertThat(search.summaries(start, end))
        .extracting(IdentitySummary::subject)
        .containsExactly("analyst", "etl-nightly");
    IdentitySummary d = search.summary(dba.issuer(), "dba", start, end);
    assertThat(d.statements()).isZero();
    assertThat(d.approvalsGiven()).isEqualTo(1);
  }
}
