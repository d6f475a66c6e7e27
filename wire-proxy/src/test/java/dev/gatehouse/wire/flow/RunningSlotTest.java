package dev.gatehouse.wire.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.quota.QuotaExceeded;
import dev.gatehouse.engine.quota.QuotaLimits;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.engine.quota.Quotas.Quota;
import dev.gatehouse.wire.upstream.UpstreamQuota;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One slot per session while a statement starts or is owed, given back on every way out. */
class RunningSlotTest {

  private static final Principal ANALYST =
      new Principal(
          "https://idp.example.com",
          "analyst",
          Principal.Kind.PERSON,
          Set.of(),
          null,
          Map.of(),
          Instant.parse("2030-01-01T00:00:00Z"));

  private final Quotas quotas = new Quotas(new QuotaLimits(0, 0, 1, 0, 0, 0, 0, 0), 10, null);
  private final UpstreamQuota owner = new UpstreamQuota(quotas, ANALYST);

  private int running() {
    return quotas.inUse(Quota.STATEMENTS, ANALYST);
  }

  @Test
  void aPipelineOfRunsHoldsOneSlotUntilTheLastIsAnswered() {
    RunningSlot slot = new RunningSlot(owner);
    Owed owed = new Owed(slot);
    slot.claim();
    owed.expect(new Pending.Reply('2'));
    owed.expect(new Pending.Run(null));
    slot.claim(); // the next Execute of the pipeline: the session holds the slot already
    owed.expect(new Pending.Run(null));
    owed.expect(new Pending.SyncPoint());
    assertThat(running()).isEqualTo(1);
    assertThatThrownBy(() -> new RunningSlot(owner).claim()).isInstanceOf(QuotaExceeded.class);
    owed.answered(); // BindComplete
    owed.answered(); // the first run
    assertThat(running()).isEqualTo(1);
    owed.answered(); // the second
    assertThat(running()).isZero();
    owed.answered();
  }

  @Test
  void aClaimThatDidNotStartOrWaitsForApprovalGivesTheSlotBack() {
    RunningSlot slot = new RunningSlot(owner);
    slot.claim();
    assertThat(running()).isEqualTo(1);
    slot.notStarting();
    assertThat(running()).isZero();
    assertThat(slot.held()).isFalse();
  }

  @Test
  void anApprovedRunIsCountedWhenOwedEvenPastTheQuota() {
    RunningSlot other = new RunningSlot(owner);
    other.claim();
    RunningSlot slot = new RunningSlot(owner);
    Owed owed = new Owed(slot);
    owed.expect(new Pending.Run(null));
    assertThat(running()).isEqualTo(2);
    owed.answered();
    other.notStarting();
    assertThat(running()).isZero();
  }

  @Test
  void abandonedAnswersAndAClosedSessionGiveTheSlotBack() {
    RunningSlot slot = new RunningSlot(owner);
    Owed owed = new Owed(slot);
    slot.claim();
    owed.expectAll(List.of(new Pending.Run(null), new Pending.Guarded(null, () -> {})));
    owed.abandon();
    assertThat(running()).isZero();
    slot.claim();
    slot.close(); // the client left between the claim and the run
    assertThat(running()).isZero();
    slot.claim(); // a late callback after the close takes nothing
    assertThat(running()).isZero();
  }
}
