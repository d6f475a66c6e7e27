package dev.gatehouse.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Policy;
import dev.gatehouse.engine.policy.ReferencePolicy;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.RulePolicyEvaluator;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reference policy's {@code taint} switch, on the real analyser's lineage. */
class TaintGuardTest {

  private static Policy policy;
  private static RulePolicyEvaluator evaluator;
  private static PostgresSqlAnalyzer analyzer;

  @BeforeAll
  static void load() {
    policy = ReferencePolicy.load();
    evaluator = new RulePolicyEvaluator(policy);
    analyzer = new PostgresSqlAnalyzer();
  }

  @AfterAll
  static void close() {
    analyzer.close();
  }

  private static RequestContext ctx(Channel channel) {
    return new RequestContext(channel, "shop", "agent", null, Instant.now());
  }

  /** Decides {@code sql} as the policy does, then applies taint for {@code session}. */
  private static Verdict admit(
      ReferencePrincipal who, Channel channel, SessionTaint session, String sql) {
    Principal p = ReferencePolicy.principal(who);
    RequestContext c = ctx(channel);
    var analysis = analyzer.analyze(sql, AnalysisContext.DEFAULT);
    Verdict v = new Verdict(analysis, evaluator.evaluate(p, analysis, c));
    return TaintGuard.apply(
        evaluator.taint(),
        new StatementRequest(p, c, "s1", null, sql, java.util.List.of(), null, session),
        v);
  }

  /**
   * Red-team round 20: the note in a WHERE or ORDER BY is no result column, but a cast of it that
   * fails quotes it in the error. Such a statement taints its session once it fails, not before,
   * and not when it succeeds.
   */
  @Test
  void aNoteAnErrorMayQuoteTaintsTheSessionWhenTheStatementFails() {
    for (String sql :
        java.util.List.of(
            "SELECT id FROM app.orders WHERE note::int > 0",
            "SELECT id FROM app.orders ORDER BY note::int",
            "SELECT count(*) FROM app.orders WHERE to_number(note, '999') > 1")) {
      SessionTaint session = SessionTaint.inMemory();
      Principal p = ReferencePolicy.principal(ReferencePrincipal.ETL_NIGHTLY);
      RequestContext c = ctx(Channel.MCP);
      var analysis = analyzer.analyze(sql, AnalysisContext.DEFAULT);
      Verdict v = new Verdict(analysis, evaluator.evaluate(p, analysis, c));
      StatementRequest request =
          new StatementRequest(p, c, "s1", null, sql, java.util.List.of(), null, session);
      TaintGuard.apply(evaluator.taint(), request, v);
      assertThat(session.source()).as("%s before it ran", sql).isNull();
      assertThat(TaintGuard.untrustedUse(evaluator.taint(), request, v))
          .as(sql)
          .isEqualTo("app.orders.note");
    }
    // Every error may quote a value but those known to name only objects or states, such as the
    // gateway's own refusals. Names built from a value quote it (red-team round 22):
    // quote_ident(note)::regclass 42P01, ::regproc 42883, ::regrole and current_setting 42704,
    // ::regnamespace 3F000; and a code nobody listed counts too.
    for (String quotes :
        java.util.List.of(
            "22P02", "23505", "P0001", "42P01", "42883", "42704", "3F000", "XX000", "99999")) {
      assertThat(TaintGuard.mayQuoteData(quotes)).as(quotes).isTrue();
    }
    assertThat(TaintGuard.mayQuoteData("42501")).isFalse();
    assertThat(TaintGuard.mayQuoteData("57014")).isFalse();
    assertThat(TaintGuard.mayQuoteData(null)).isFalse();
    // Another channel the switch does not cover, or a statement not touching the note: nothing.
    Principal p = ReferencePolicy.principal(ReferencePrincipal.ETL_NIGHTLY);
    String plain = "SELECT id FROM app.orders WHERE id::text = 'x'";
    var analysis = analyzer.analyze(plain, AnalysisContext.DEFAULT);
    Verdict v = new Verdict(analysis, evaluator.evaluate(p, analysis, ctx(Channel.MCP)));
    assertThat(
            TaintGuard.untrustedUse(
                evaluator.taint(),
                new StatementRequest(
                    p,
                    ctx(Channel.MCP),
                    "s1",
                    null,
                    plain,
                    java.util.List.of(),
                    null,
                    SessionTaint.inMemory()),
                v))
        .isNull();
  }

  /**
   * Red-team round 21: an UPDATE copied the note into a payment's status, which the switch does not
   * follow; read back from there it tainted no one. Such a copy is held itself, on any channel.
   */
  @Test
  void aWriteThatCopiesTheNoteWhereTheSwitchDoesNotLookIsHeld() {
    for (String sql :
        java.util.List.of(
            "UPDATE app.payments SET status = (SELECT note FROM app.orders WHERE id = 7)"
                + " WHERE id = 3",
            "UPDATE app.payments p SET status = o.note FROM app.orders o"
                + " WHERE o.customer_id = p.customer_id AND p.id = 3")) {
      for (Channel channel : new Channel[] {Channel.MCP, Channel.WIRE}) {
        Verdict v = admit(ReferencePrincipal.ETL_NIGHTLY, channel, SessionTaint.inMemory(), sql);
        assertThat(v.decision().effect())
            .as("%s over %s", sql, channel)
            .isEqualTo(Effect.REQUIRE_APPROVAL);
        assertThat(v.decision().ruleIds()).containsExactly(TaintGuard.COPY_RULE_ID);
        assertThat(v.decision().explanation())
            .contains("copies untrusted text from `app.orders.note` into `app.payments.status`");
      }
    }
    // Into the note itself, or a copy of another column: as before.
    Verdict own =
        admit(
            ReferencePrincipal.ETL_NIGHTLY,
            Channel.MCP,
            SessionTaint.inMemory(),
            "UPDATE app.orders SET note = (SELECT note FROM app.orders WHERE id = 7) WHERE id = 3");
    assertThat(own.decision().ruleIds())
        .doesNotContain(TaintGuard.RULE_ID, TaintGuard.COPY_RULE_ID);
    Verdict other =
        admit(
            ReferencePrincipal.ETL_NIGHTLY,
            Channel.MCP,
            SessionTaint.inMemory(),
            "UPDATE app.payments SET status = (SELECT total::text FROM app.orders WHERE id = 7)"
                + " WHERE id = 3");
    assertThat(other.decision().ruleIds())
        .doesNotContain(TaintGuard.RULE_ID, TaintGuard.COPY_RULE_ID);
  }

  /**
   * Red-team round 55: a copy of the note after reading it was held for the read alone, so its
   * approver never saw the copy (and an approval of the copy alone covered the read).
   */
  @Test
  void aCopyAfterReadingTheNoteIsHeldForBothReasons() {
    SessionTaint session = SessionTaint.inMemory();
    admit(
        ReferencePrincipal.ETL_NIGHTLY,
        Channel.MCP,
        session,
        "SELECT id, note FROM app.orders WHERE id = 1");
    Verdict copy =
        admit(
            ReferencePrincipal.ETL_NIGHTLY,
            Channel.MCP,
            session,
            "UPDATE app.payments SET status = (SELECT note FROM app.orders WHERE id = 7)"
                + " WHERE id = 3");
    assertThat(copy.decision().effect()).isEqualTo(Effect.REQUIRE_APPROVAL);
    assertThat(copy.decision().ruleIds())
        .containsExactly(TaintGuard.RULE_ID, TaintGuard.COPY_RULE_ID);
    assertThat(copy.decision().explanation())
        .contains("this session read untrusted text from `app.orders.note`")
        .contains("copies untrusted text from `app.orders.note` into `app.payments.status`");
  }

  @Test
  void readingTheNoteHoldsTheNextWriteWithTheReason() {
    SessionTaint session = SessionTaint.inMemory();
    String write = "UPDATE app.payments SET status = 'refunded' WHERE id = 1";

    Verdict before = admit(ReferencePrincipal.ETL_NIGHTLY, Channel.MCP, session, write);
    assertThat(before.decision().effect()).isEqualTo(Effect.ALLOW);

    Verdict read =
        admit(
            ReferencePrincipal.ETL_NIGHTLY,
            Channel.MCP,
            session,
            "SELECT id, note FROM app.orders WHERE id = 1");
    assertThat(read.decision().effect()).isEqualTo(Effect.ALLOW);
    assertThat(session.source()).isEqualTo("app.orders.note");

    Verdict after = admit(ReferencePrincipal.ETL_NIGHTLY, Channel.MCP, session, write);
    assertThat(after.decision().effect()).isEqualTo(Effect.REQUIRE_APPROVAL);
    assertThat(after.decision().ruleIds()).containsExactly(TaintGuard.RULE_ID);
    assertThat(after.decision().explanation())
        .startsWith(
            "this session read untrusted text from `app.orders.note`; writes after it need"
                + " approval");
    // The write still runs under the grant that allowed it, once approved.
    assertThat(after.decision().obligations()).isEqualTo(before.decision().obligations());
    // Reads stay free.
    assertThat(
            admit(ReferencePrincipal.ETL_NIGHTLY, Channel.MCP, session, "SELECT 1")
                .decision()
                .effect())
        .isEqualTo(Effect.ALLOW);
  }

  @Test
  void everyWayTheTextReachesTheCallerTaints() {
    for (String sql :
        new String[] {
          "SELECT * FROM app.orders",
          "SELECT upper(note) AS n FROM app.orders",
          "SELECT o FROM app.orders o",
          "WITH x AS (SELECT note FROM app.orders) SELECT * FROM x",
          "UPDATE app.orders SET total = total WHERE id = 1 RETURNING note",
        }) {
      SessionTaint session = SessionTaint.inMemory();
      admit(ReferencePrincipal.ETL_NIGHTLY, Channel.MCP, session, sql);
      assertThat(session.source()).as(sql).isEqualTo("app.orders.note");
    }
  }

  @Test
  void readingOtherColumnsOrOnlyFilteringOnTheNoteDoesNotTaint() {
    SessionTaint session = SessionTaint.inMemory();
    for (String sql :
        new String[] {
          "SELECT id, total FROM app.orders",
          "SELECT count(*) FROM app.orders WHERE note IS NULL",
          "SELECT * FROM app.payments",
        }) {
      admit(ReferencePrincipal.ETL_NIGHTLY, Channel.MCP, session, sql);
      assertThat(session.source()).as(sql).isNull();
    }
    assertThat(
            admit(
                    ReferencePrincipal.ETL_NIGHTLY,
                    Channel.MCP,
                    session,
                    "UPDATE app.orders SET total = 1 WHERE id = 1")
                .decision()
                .effect())
        .isEqualTo(Effect.ALLOW);
  }

  @Test
  void writesInTheSameStatementAsTheReadAreNotHeldButLaterOnesAre() {
    SessionTaint session = SessionTaint.inMemory();
    String sql = "UPDATE app.orders SET total = total WHERE id = 1 RETURNING note";
    assertThat(admit(ReferencePrincipal.ETL_NIGHTLY, Channel.MCP, session, sql).decision().effect())
        .isEqualTo(Effect.ALLOW);
    assertThat(admit(ReferencePrincipal.ETL_NIGHTLY, Channel.MCP, session, sql).decision().effect())
        .isEqualTo(Effect.REQUIRE_APPROVAL);
  }

  @Test
  void onlyTheChannelsAndGroupsThePolicyNamesAreTracked() {
    SessionTaint wire = SessionTaint.inMemory();
    admit(ReferencePrincipal.ETL_NIGHTLY, Channel.WIRE, wire, "SELECT note FROM app.orders");
    assertThat(wire.source()).isNull();

    SessionTaint dba = SessionTaint.inMemory();
    admit(ReferencePrincipal.DBA, Channel.MCP, dba, "SELECT note FROM app.orders");
    assertThat(dba.source()).isNull();

    SessionTaint analyst = SessionTaint.inMemory();
    admit(ReferencePrincipal.ANALYST, Channel.MCP, analyst, "SELECT note FROM app.orders");
    assertThat(analyst.source()).isEqualTo("app.orders.note");
  }

  @Test
  void aDeniedStatementStaysDeniedAndAnUntrackedSessionIsLeftAlone() {
    SessionTaint session = SessionTaint.inMemory();
    session.mark("app.orders.note");
    assertThat(
            admit(
                    ReferencePrincipal.ETL_NIGHTLY,
                    Channel.MCP,
                    session,
                    "UPDATE app.customers SET email = 'x' WHERE id = 1")
                .decision()
                .effect())
        .isEqualTo(Effect.DENY);
    assertThat(
            admit(
                    ReferencePrincipal.ETL_NIGHTLY,
                    Channel.MCP,
                    null,
                    "UPDATE app.payments SET status = 'x' WHERE id = 1")
                .decision()
                .effect())
        .isEqualTo(Effect.ALLOW);
  }
}
