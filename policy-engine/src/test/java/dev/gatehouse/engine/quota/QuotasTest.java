package dev.gatehouse.engine.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.quota.Quotas.Quota;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuotasTest {

  private static Principal principal(String subject) {
    return new Principal(
        "https://idp.example.com",
        subject,
        Principal.Kind.PERSON,
        Set.of(),
        null,
        Map.of(),
        Instant.parse("2030-01-01T00:00:00Z"));
  }

  private final Principal analyst = principal("analyst");
  private final Principal etl = principal("etl-nightly");

  @Test
  void aPrincipalPastItsWireSessionsIsRefusedWith53300NamingTheQuotaAndOthersAreNot() {
    Quotas quotas = new Quotas(new QuotaLimits(2, 0, 0, 0, 10, 0, 0, 0), 50, null);
    Quotas.Permit a = quotas.wireSession(analyst);
    Quotas.Permit b = quotas.wireSession(analyst);
    assertThatThrownBy(() -> quotas.wireSession(analyst))
        .isInstanceOfSatisfying(
            QuotaExceeded.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo(SqlState.TOO_MANY_CONNECTIONS);
              assertThat(e.quota()).isEqualTo(Quota.WIRE_SESSIONS);
            })
        .hasMessage(
            "too many wire sessions for principal `analyst`: the limit is 2"
                + " (quotas.wireSessionsPerPrincipal); close one and try again");
    quotas.wireSession(etl).close();
    a.close();
    a.close(); // twice releases once
    assertThat(quotas.inUse(Quota.WIRE_SESSIONS, analyst)).isEqualTo(1);
    quotas.wireSession(analyst).close();
    b.close();
    assertThat(quotas.inUse(Quota.WIRE_SESSIONS, analyst)).isZero();
  }

  @Test
  void anApprovedStatementIsCountedButNeverRefused() {
    Quotas quotas = new Quotas(new QuotaLimits(0, 0, 1, 0, 10, 0, 0, 0), 50, null);
    Quotas.Permit running = quotas.statement(analyst);
    assertThatThrownBy(() -> quotas.statement(analyst))
        .hasMessage(
            "too many running statements for principal `analyst`: the limit is 1"
                + " (quotas.statementsPerPrincipal); wait for one to finish and try again");
    Quotas.Permit approved = quotas.approvedStatement(analyst);
    assertThat(quotas.inUse(Quota.STATEMENTS, analyst)).isEqualTo(2);
    running.close();
    // Still over the limit with the approved one: the next is refused until it ends.
    assertThatThrownBy(() -> quotas.statement(analyst)).isInstanceOf(QuotaExceeded.class);
    approved.close();
    quotas.statement(analyst).close();
    assertThat(quotas.inUse(Quota.STATEMENTS, analyst)).isZero();
  }

  @Test
  void onePrincipalTakesAtMostHalfTheUpstreamBudgetLeavingTheRestToOthers() {
    Quotas quotas = new Quotas(QuotaLimits.defaults(), 10, null);
    List<Quotas.Permit> held = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      held.add(quotas.upstream(analyst, "gatehouse_reader"));
    }
    assertThatThrownBy(() -> quotas.upstream(analyst, "gatehouse_reader"))
        .hasMessageContaining("too many upstream connections for principal `analyst`")
        .hasMessageContaining("the limit is 5 (quotas.upstream.perPrincipal)");
    for (int i = 0; i < 5; i++) {
      held.add(quotas.upstream(etl, "gatehouse_writer"));
    }
    // The budget is spent: a third principal is refused by the total, and nothing leaks.
    assertThatThrownBy(() -> quotas.upstream(principal("dba"), "gatehouse_owner"))
        .hasMessageContaining("the gateway's limit is 10 (quotas.upstream.maxConnections)");
    assertThat(quotas.inUse(Quota.UPSTREAM_PER_PRINCIPAL, "dba")).isZero();
    assertThat(quotas.inUse(Quota.UPSTREAM_PER_ROLE, "gatehouse_owner")).isZero();
    held.forEach(Quotas.Permit::close);
    assertThat(quotas.inUse(Quota.UPSTREAM_TOTAL, "")).isZero();
    assertThat(quotas.inUse(Quota.UPSTREAM_PER_ROLE, "gatehouse_reader")).isZero();
  }

  @Test
  void aRoleBoundRefusesNamingTheRoleAndReleasesThePrincipalsShare() {
    Quotas quotas = new Quotas(new QuotaLimits(0, 0, 0, 0, 0, 1, 0, 0), 10, null);
    Quotas.Permit first = quotas.upstream(analyst, "gatehouse_reader");
    assertThatThrownBy(() -> quotas.upstream(analyst, "gatehouse_reader"))
        .hasMessageStartingWith(
            "too many upstream connections as upstream role `gatehouse_reader`: the limit"
                + " is 1 (quotas.upstream.perRole)");
    assertThat(quotas.inUse(Quota.UPSTREAM_PER_PRINCIPAL, analyst)).isEqualTo(1);
    first.close();
  }

  @Test
  void theBudgetComesFromTheUpstreamsCapacityLessTheReserveAndTheMcpPools() {
    assertThat(QuotaLimits.defaults().upstreamBudget(297, 16)).isEqualTo(297 - 10 - 16);
    assertThat(new QuotaLimits(0, 0, 0, 40, 10, 0, 0, 0).upstreamBudget(297, 16)).isEqualTo(40);
    assertThat(QuotaLimits.defaults().upstreamBudget(5, 16)).isEqualTo(1);
  }

  @Test
  void badSettingsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> new QuotaLimits(-1, 0, 0, 0, 0, 0, 0, 0))
        .hasMessage("`wireSessionsPerPrincipal` must be positive; leave it out for the default");
    assertThatThrownBy(() -> new QuotaLimits(0, 0, 0, 10, 0, 0, 20, 0))
        .hasMessageContaining("`upstream.perPrincipal` 20 exceeds `upstream.maxConnections` 10");
    assertThatThrownBy(() -> new QuotaLimits(0, 0, 0, 0, -1, 0, 0, 0))
        .hasMessageContaining("`upstream.reserve` must not be negative");
  }
}
