package dev.gatehouse.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.TableRef;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Admitted.escalate: only to an approval of the same statement, never to a looser decision. */
class EscalationTest {

  private static final String SQL = "UPDATE app.orders SET x = 1";
  private static final Obligations BOUNDED =
      new Obligations("writer", false, 0, null, MaskingPolicy.NONE);

  private static <T> T unused(Class<T> type) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              throw new AssertionError("escalating must not call " + method.getName());
            }));
  }

  private static Verdict verdict(String sql, Effect effect) {
    StatementInfo info =
        new StatementInfo(
            sql,
            "UPDATE",
            StatementClass.WRITE,
            Set.of(),
            Set.of(TableRef.of("app.orders")),
            Set.of(),
            Map.of(),
            Set.of(),
            List.of());
    return new Verdict(
        new Analysis(sql, List.of(info), sql),
        new Decision(effect, List.of("etl-writes"), "why", BOUNDED, "rev1"));
  }

  private static Admitted admitted() {
    Verdict allowed = verdict(SQL, Effect.ALLOW);
    AdmissionDesk desk =
        new AdmissionDesk(
            (p, c, s, m) -> allowed,
            unused(AuditTrail.class),
            unused(ApprovalService.class),
            (policy, a, columns, db) -> MaskPlan.NONE,
            Runnable::run,
            AdmissionObserver.NONE);
    Principal etl =
        new Principal(
            "https://issuer",
            "etl",
            Principal.Kind.WORKLOAD,
            Set.of(),
            null,
            Map.of(),
            Instant.now().plusSeconds(600));
    RequestContext ctx =
        new RequestContext(Channel.WIRE, "shop", "psql", "127.0.0.1", Instant.now());
    return (Admitted) desk.admit(new StatementRequest(etl, ctx, "c1", null, SQL, null, null));
  }

  @Test
  void escalatesToAnApprovalOfTheSameStatementCarryingItsReason() {
    Verdict held = verdict(SQL, Effect.REQUIRE_APPROVAL);
    AwaitingApproval awaiting = admitted().escalate(held, List.of("7"));
    assertThat(awaiting.verdict()).isSameAs(held);
    assertThat(awaiting.id()).as("no request is made before the front end asks").isNull();
  }

  @Test
  void refusesToEscalateToAnythingButAnApprovalOfTheSameStatement() {
    Admitted a = admitted();
    assertThatThrownBy(() -> a.escalate(verdict(SQL, Effect.ALLOW), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> a.escalate(verdict("DELETE FROM app.orders", Effect.REQUIRE_APPROVAL), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
