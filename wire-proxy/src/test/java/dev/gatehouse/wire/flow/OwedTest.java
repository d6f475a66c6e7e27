package dev.gatehouse.wire.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which names a message of a later cycle must wait for (red-team round 16). */
class OwedTest {

  private final Owed owed = new Owed(new RunningSlot(null));

  @Test
  void aParseOrBindIsOwedAcrossASyncOnlyOnceASyncFollowsIt() {
    owed.expect(new Pending.Reply('1', null, "Sp1"));
    owed.expect(new Pending.Reply('2', null, "Ph"));
    owed.expect(new Pending.Reply('2', null, "P")); // the unnamed portal
    owed.expect(new Pending.Reply('3')); // a Close: nothing to wait for
    // Same cycle: after an error PostgreSQL skips everything up to the Sync.
    assertThat(owed.namesOwedAcrossSync()).isEmpty();
    owed.expect(new Pending.SyncPoint());
    assertThat(owed.namesOwedAcrossSync()).containsExactlyInAnyOrder("Sp1", "Ph", "P");
    // Named replies of the cycle after that Sync are not across a Sync yet.
    owed.expect(new Pending.Reply('1', null, "Sp2"));
    assertThat(owed.namesOwedAcrossSync()).containsExactlyInAnyOrder("Sp1", "Ph", "P");

    owed.answered(); // ParseComplete of p1
    assertThat(owed.namesOwedAcrossSync()).containsExactlyInAnyOrder("Ph", "P");
    owed.answered();
    owed.answered();
    owed.answered();
    assertThat(owed.namesOwedAcrossSync()).isEmpty();
    owed.answered(); // the ReadyForQuery of the first Sync
    owed.expect(new Pending.SyncPoint());
    assertThat(owed.namesOwedAcrossSync()).containsExactly("Sp2");
    owed.abandon();
    assertThat(owed.namesOwedAcrossSync()).isEmpty();
    assertThat(owed.contextChangeOwed()).isFalse();
  }
}
