package dev.gatehouse.slack.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.slack.outbox.SlackStore.Job;
import dev.gatehouse.slack.outbox.SlackStore.JobKind;
import dev.gatehouse.slack.outbox.SlackStore.PostedMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link SlackStore} must do: remember messages, and an outbox that loses nothing. */
abstract class SlackStoreContract {

  static final Duration LEASE = Duration.ofMinutes(2);
  // Microsecond precision, as PostgreSQL keeps it.
  final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  SlackStore store;

  abstract SlackStore newStore();

  @BeforeEach
  void create() {
    store = newStore();
  }

  @Test
  void remembersAndUpdatesMessages() {
    UUID id = UUID.randomUUID();
    assertThat(store.message(id)).isEmpty();

    store.saveMessage(new PostedMessage(id, "C1", "1700000000.000100", ApprovalState.PENDING));
    assertThat(store.message(id))
        .contains(new PostedMessage(id, "C1", "1700000000.000100", ApprovalState.PENDING));
    assertThat(store.messagesShowing(ApprovalState.PENDING))
        .extracting(PostedMessage::requestId)
        .contains(id);

    store.saveMessage(new PostedMessage(id, "C1", "1700000000.000100", ApprovalState.APPROVED));
    assertThat(store.message(id).orElseThrow().shownState()).isEqualTo(ApprovalState.APPROVED);
    assertThat(store.messagesShowing(ApprovalState.PENDING))
        .extracting(PostedMessage::requestId)
        .doesNotContain(id);
  }

  @Test
  void remembersWhatTheRequesterWasTold() {
    UUID id = UUID.randomUUID();
    assertThat(store.requesterNotified(id)).isEmpty();

    store.markRequesterNotified(id, ApprovalState.DENIED);

    assertThat(store.requesterNotified(id)).contains(ApprovalState.DENIED);
    assertThat(store.message(id)).as("no message was posted yet").isEmpty();
  }

  @Test
  void repeatedChangesCoalesceIntoOneJob() {
    UUID id = UUID.randomUUID();
    store.enqueue(id, JobKind.MESSAGE, now);
    store.enqueue(id, JobKind.MESSAGE, now);
    store.enqueue(id, JobKind.REQUESTER_DM, now);

    List<Job> jobs = mine(store.lease(now, LEASE, 100), id);

    assertThat(jobs)
        .extracting(Job::kind)
        .containsExactlyInAnyOrder(JobKind.MESSAGE, JobKind.REQUESTER_DM);
  }

  @Test
  void aLeasedJobIsInvisibleUntilItsLeaseEnds() {
    UUID id = UUID.randomUUID();
    store.enqueue(id, JobKind.MESSAGE, now);

    assertThat(mine(store.lease(now, LEASE, 100), id)).hasSize(1);
    assertThat(mine(store.lease(now.plusSeconds(1), LEASE, 100), id)).isEmpty();
    assertThat(mine(store.lease(now.plus(LEASE).plusSeconds(1), LEASE, 100), id))
        .as("a crashed instance's lease runs out")
        .hasSize(1);
  }

  @Test
  void doneRemovesTheJobUnlessItWasEnqueuedAgainMeanwhile() {
    UUID id = UUID.randomUUID();
    store.enqueue(id, JobKind.MESSAGE, now);
    Job first = mine(store.lease(now, LEASE, 100), id).get(0);
    store.enqueue(id, JobKind.MESSAGE, now);

    store.done(first);

    Job again = mine(store.lease(now.plusSeconds(1), LEASE, 100), id).get(0);
    assertThat(again.version()).isGreaterThan(first.version());
    store.done(again);
    assertThat(mine(store.lease(now.plus(LEASE).plusSeconds(10), LEASE, 100), id)).isEmpty();
  }

  @Test
  void aFailedJobComesBackWhenDueWithOneMoreAttempt() {
    UUID id = UUID.randomUUID();
    store.enqueue(id, JobKind.MESSAGE, now);
    Job job = mine(store.lease(now, LEASE, 100), id).get(0);

    store.retryAt(job, now.plusSeconds(30), "slack unreachable");

    assertThat(mine(store.lease(now.plusSeconds(29), LEASE, 100), id)).isEmpty();
    Job retried = mine(store.lease(now.plusSeconds(30), LEASE, 100), id).get(0);
    assertThat(retried.attempts()).isEqualTo(1);
  }

  private static List<Job> mine(List<Job> jobs, UUID id) {
    return jobs.stream().filter(j -> j.requestId().equals(id)).toList();
  }
}
