package dev.gatehouse.engine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.approval.PolicyApprovers;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.testkit.ReferencePolicyFixture;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApproversTest {

  private static final Policy policy = ReferencePolicy.load();
  private static final PolicyApprovers approvers = new PolicyApprovers(() -> policy);

  private static ApprovalRequest request(Principal requester) {
    return new ApprovalRequest(
        UUID.randomUUID(),
        ApprovalState.PENDING,
        requester.issuer(),
        requester.subject(),
        Map.of(),
        "shop",
        "DELETE FROM app.orders",
        List.of(),
        List.of("etl-nightly-destructive-needs-approval"),
        "no where",
        Instant.now(),
        Instant.now().plusSeconds(60),
        null,
        null,
        null);
  }

  @Test
  void dbaApprovesOthersButNeverThemselves() {
    Principal dba = ReferencePolicy.principal(ReferencePrincipal.DBA);
    Principal etl = ReferencePolicy.principal(ReferencePrincipal.ETL_NIGHTLY);
    assertTrue(approvers.mayApprove(dba, request(etl)));
    assertFalse(approvers.mayApprove(dba, request(dba)));
  }

  @Test
  void othersAndOtherIssuersMayNot() {
    Principal etl = ReferencePolicy.principal(ReferencePrincipal.ETL_NIGHTLY);
    assertFalse(
        approvers.mayApprove(ReferencePolicy.principal(ReferencePrincipal.ANALYST), request(etl)));
    assertFalse(
        approvers.mayApprove(
            ReferencePolicy.principal(ReferencePrincipal.SUPPORT_LEAD), request(etl)));
    Principal forged =
        new Principal(
            TestIssuer.get().untrustedIssuerUrl(),
            "dba",
            Principal.Kind.PERSON,
            Set.of("dba"),
            null,
            Map.of(),
            Instant.MAX);
    assertFalse(approvers.mayApprove(forged, request(etl)));
  }

  @Test
  void requestsExpireAfterTheRequiringRulesExpiryElseThePolicyDefault() {
    String text =
        ReferencePolicyFixture.text()
            .replace("    expiry: 15m", "    expiry: 2m")
            .replace("  expiry: 15m", "  expiry: 20m");
    Policy changed =
        new PolicyLoader(ReferencePolicy.environment()::get)
            .parse(Path.of("policy.yaml"), text.getBytes(StandardCharsets.UTF_8));
    PolicyApprovers fromPolicy = new PolicyApprovers(() -> changed);
    Duration fallback = Duration.ofHours(1);
    assertEquals(
        Duration.ofMinutes(2),
        fromPolicy.expiry(List.of("etl-nightly-destructive-needs-approval"), fallback));
    assertEquals(Duration.ofMinutes(20), fromPolicy.expiry(List.of("no-such-rule"), fallback));
  }
}
