package dev.gatehouse.slack;

import static dev.gatehouse.slack.testing.BotFixture.DBA;
import static dev.gatehouse.slack.testing.BotFixture.DBA2;
import static dev.gatehouse.slack.testing.BotFixture.ETL_OWNER;
import static dev.gatehouse.slack.testing.BotFixture.eventually;
import static dev.gatehouse.slack.testing.BotFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.gatehouse.engine.approval.ApprovalNotifier;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.approval.ApproverPolicy;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.slack.interaction.SlackInteractionHandler.Response;
import dev.gatehouse.slack.message.ActionIds;
import dev.gatehouse.slack.outbox.SlackStore;
import dev.gatehouse.slack.testing.BotFixture;
import dev.gatehouse.slack.testing.FakeSlack;
import dev.gatehouse.slack.testing.FakeSlack.Call;
import dev.gatehouse.slack.testing.ObservedSlackStore;
import dev.gatehouse.slack.testing.SignedCallbacks.Callback;
import dev.gatehouse.testkit.OffsetClock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The approval flows through Slack, against the fake Slack API and signed callbacks, for any {@link
 * ApprovalService} and {@link SlackStore}: the unit test runs them on test doubles, the integration
 * test on the PostgreSQL-backed service and store.
 */
abstract class SlackApprovalFlowContract {

  static final Duration WAIT = Duration.ofSeconds(10);

  BotFixture f;
  ObservedSlackStore store;

  /** The approval services' clock: expiry is reached by moving it, not by waiting. */
  final OffsetClock clock = new OffsetClock();

  ApprovalService service;

  abstract SlackStore newStore();

  abstract ApprovalService newService(
      ApprovalNotifier notifier, ApproverPolicy policy, Duration ttl);

  /** A real audit trail the bot's records should also reach, or null. */
  dev.gatehouse.engine.audit.AuditTrail realAuditTrail() {
    return null;
  }

  @BeforeEach
  void startBot() throws Exception {
    store = new ObservedSlackStore(newStore());
    f = new BotFixture(store, dev.gatehouse.slack.config.RetryPolicy.DEFAULT, realAuditTrail());
    service = newService(f.bot.notifier(), BotFixture.DBA_GROUP, Duration.ofMinutes(10));
    f.bot.start(service);
  }

  @AfterEach
  void stopBot() {
    f.close();
  }

  Call posted(UUID id) {
    return f.slack.await("chat.postMessage", c -> c.param("blocks").contains(id.toString()), WAIT);
  }

  Response send(JsonObject payload) {
    Callback cb = f.callbacks.signed(payload);
    return f.handler().handle(cb.body(), cb.headers());
  }

  ApprovalState state(UUID id) {
    return service.find(id).orElseThrow().state();
  }

  Call ephemeralTo(String user, String containing) {
    return f.slack.await(
        "chat.postEphemeral",
        c -> c.param("user").equals(user) && c.param("text").contains(containing),
        WAIT);
  }

  @Test
  void postsTheRequestWithItsFactsAndButtons() {
    ApprovalRequest r = request(service, BotFixture.etlNightly(), "DELETE FROM app.orders");

    Call post = posted(r.id());

    assertThat(post.authorization()).isEqualTo("Bearer " + BotFixture.TOKEN);
    assertThat(post.param("channel")).isEqualTo(FakeSlack.CHANNEL);
    assertThat(post.param("text")).contains("Approval needed", "etl-nightly", "shop");
    assertThat(post.param("blocks"))
        .contains(ActionIds.approve(r.id()), ActionIds.deny(r.id()))
        .contains("etl-nightly", "CI / batch workload", "shop/etl", "refs/heads/main")
        .contains("DELETE FROM app.orders", "etl-destructive-needs-approval")
        .contains("DELETE without a WHERE clause");
    eventually(() -> store.message(r.id()).isPresent(), "the message ts is stored");
    assertThat(store.message(r.id()).orElseThrow().ts()).isNotBlank();
  }

  @Test
  void approveByAnApproverWithAConfirmedEmail() {
    ApprovalRequest r = request(service, BotFixture.etlNightly(), "DELETE FROM app.orders");
    Call post = posted(r.id());
    eventually(() -> store.message(r.id()).isPresent(), "the message ts is stored");

    long start = System.nanoTime();
    Response ack = send(f.callbacks.click(DBA, ActionIds.approve(r.id()), r.id()));
    Duration ackTime = Duration.ofNanos(System.nanoTime() - start);

    assertThat(ack.status()).isEqualTo(200);
    assertThat(ackTime).isLessThan(Duration.ofSeconds(1));
    eventually(() -> state(r.id()) == ApprovalState.APPROVED, "approved");
    assertThat(service.find(r.id()).orElseThrow().decidedBy()).contains("dba");
    assertThat(f.slack.calls("users.info")).anyMatch(c -> c.param("user").equals(DBA));
    String ts = store.message(r.id()).orElseThrow().ts();
    Call update =
        f.slack.await(
            "chat.update",
            c -> c.param("ts").equals(ts) && c.param("blocks").contains("Approved"),
            WAIT);
    assertThat(update.param("channel")).isEqualTo(post.param("channel"));
    assertThat(update.param("blocks")).contains("dba").doesNotContain(ActionIds.approve(r.id()));
    Call dm = f.slack.await("chat.postMessage", c -> c.param("channel").equals(ETL_OWNER), WAIT);
    assertThat(dm.param("text")).contains("Approved", r.id().toString());
    eventually(() -> f.accepted(DBA).size() == 1, "the accepted click is recorded");
    assertThat(f.accepted(DBA).get(0).subject()).isEqualTo("dba");
  }

  @Test
  void denyAsksForAReasonInAModal() {
    ApprovalRequest r = request(service, BotFixture.etlNightly(), "DROP TABLE app.orders");
    posted(r.id());

    JsonObject click = f.callbacks.click(DBA2, ActionIds.deny(r.id()), r.id());
    assertThat(send(click).status()).isEqualTo(200);
    Call open = f.slack.await("views.open", c -> true, WAIT);
    assertThat(open.param("trigger_id")).isEqualTo(click.get("trigger_id").getAsString());
    assertThat(open.param("view"))
        .contains(ActionIds.DENY_MODAL, r.id() + "|" + FakeSlack.CHANNEL, "DROP TABLE app.orders");

    String metadata = r.id() + "|" + FakeSlack.CHANNEL;
    Response blank = send(f.callbacks.denySubmission(DBA2, metadata, "  "));
    assertThat(blank.status()).isEqualTo(200);
    assertThat(blank.body()).contains("\"response_action\":\"errors\"", "\"reason\"");
    assertThat(state(r.id())).isEqualTo(ApprovalState.PENDING);

    Response submitted =
        send(f.callbacks.denySubmission(DBA2, metadata, "not during month-end close"));
    assertThat(submitted.status()).isEqualTo(200);
    assertThat(submitted.body()).isEmpty();
    eventually(() -> state(r.id()) == ApprovalState.DENIED, "denied");
    ApprovalRequest denied = service.find(r.id()).orElseThrow();
    assertThat(denied.decisionReason()).isEqualTo("not during month-end close");
    assertThat(denied.decidedBy()).contains("dba-2");
    f.slack.await(
        "chat.update",
        c -> c.param("blocks").contains("Denied") && c.param("blocks").contains("month-end close"),
        WAIT);
  }

  @Test
  void theRequesterCannotApproveTheirOwnRequest() {
    Principal dba = BotFixture.principal("dba", Principal.Kind.PERSON, Set.of("dba"), Map.of());
    ApprovalRequest r = request(service, dba, "ALTER TABLE app.orders ADD COLUMN note text");
    posted(r.id());

    send(f.callbacks.click(DBA, ActionIds.approve(r.id()), r.id()));

    ephemeralTo(DBA, "own request");
    assertThat(state(r.id())).isEqualTo(ApprovalState.PENDING);
    eventually(() -> f.refusals(DBA).size() == 1, "the refused click is recorded");
    assertThat(f.refusals(DBA).get(0).detail()).contains("own request");
    assertThat(f.refusals(DBA).get(0).approvalId()).isEqualTo(r.id());
    assertThat(f.refusals(DBA).get(0).actorSubject()).isEqualTo("dba");
    assertThat(f.refusals(DBA).get(0).requesterSubject()).isEqualTo("dba");
  }

  @Test
  void aKnownIdentityThatIsNoApproverIsRefused() {
    ApprovalRequest r = request(service, BotFixture.etlNightly(), "TRUNCATE app.orders");
    posted(r.id());

    send(f.callbacks.click(BotFixture.ANALYST, ActionIds.approve(r.id()), r.id()));

    ephemeralTo(BotFixture.ANALYST, "not an approver");
    assertThat(state(r.id())).isEqualTo(ApprovalState.PENDING);
    eventually(() -> f.refusals(BotFixture.ANALYST).size() == 1, "recorded");
    assertThat(f.refusals(BotFixture.ANALYST).get(0).actorSubject()).isEqualTo("analyst");
    assertThat(f.refusals(BotFixture.ANALYST).get(0).database()).isEqualTo("shop");
  }

  @Test
  void unconfirmedUnknownAndForeignSlackUsersAreRefused() {
    ApprovalRequest r = request(service, BotFixture.etlNightly(), "TRUNCATE app.orders");
    posted(r.id());

    send(f.callbacks.click(BotFixture.UNCONFIRMED, ActionIds.approve(r.id()), r.id()));
    send(f.callbacks.click(BotFixture.STRANGER, ActionIds.approve(r.id()), r.id()));
    send(f.callbacks.click("UNOBODY01", ActionIds.approve(r.id()), r.id()));
    JsonObject foreign = f.callbacks.click(DBA2, ActionIds.approve(r.id()), r.id());
    foreign.getAsJsonObject("user").addProperty("team_id", "TOTHERORG");

    send(foreign);

    ephemeralTo(BotFixture.UNCONFIRMED, "not confirmed");
    ephemeralTo(BotFixture.STRANGER, "not in the approver directory");
    ephemeralTo("UNOBODY01", "user_not_found");
    ephemeralTo(DBA2, "TOTHERORG");
    assertThat(state(r.id())).isEqualTo(ApprovalState.PENDING);
    for (String user :
        new String[] {BotFixture.UNCONFIRMED, BotFixture.STRANGER, "UNOBODY01", DBA2}) {
      eventually(() -> f.refusals(user).size() == 1, "refusal of " + user + " recorded");
      assertThat(f.refusals(user).get(0).actorSubject()).isNull();
    }
  }

  @Test
  void aDuplicateClickDecidesOnce() {
    ApprovalRequest r = request(service, BotFixture.etlNightly(), "DELETE FROM app.payments");
    posted(r.id());
    Callback click = f.callbacks.signed(f.callbacks.click(DBA, ActionIds.approve(r.id()), r.id()));

    // Slack redelivers the very same callback, then a second approver clicks late.
    assertThat(f.handler().handle(click.body(), click.headers()).status()).isEqualTo(200);
    assertThat(f.handler().handle(click.body(), click.headers()).status()).isEqualTo(200);
    eventually(() -> state(r.id()) == ApprovalState.APPROVED, "approved");
    send(f.callbacks.click(DBA2, ActionIds.approve(r.id()), r.id()));
    send(f.callbacks.click(DBA, ActionIds.approve(r.id()), r.id()));

    ephemeralTo(DBA2, "already approved");
    ephemeralTo(DBA, "already approved");
    assertThat(service.find(r.id()).orElseThrow().decidedBy())
        .contains("dba")
        .doesNotContain("dba-2");
    eventually(() -> f.refusals(DBA).size() == 1, "the late click is recorded as refused");
    assertThat(f.accepted(DBA)).hasSize(1);
  }

  @Test
  void aClickOnAnExpiredRequestSaysSo() throws Exception {
    ApprovalService shortLived =
        newService(f.bot.notifier(), BotFixture.DBA_GROUP, Duration.ofSeconds(1));
    ApprovalRequest r = request(shortLived, BotFixture.etlNightly(), "DELETE FROM app.orders");
    posted(r.id());
    clock.advance(Duration.between(clock.instant(), r.expiresAt()).plusMillis(100));

    send(f.callbacks.click(DBA, ActionIds.approve(r.id()), r.id()));

    ephemeralTo(DBA, "expired");
    assertThat(service.find(r.id()).orElseThrow().state())
        .isIn(ApprovalState.PENDING, ApprovalState.EXPIRED);
    f.slack.await("chat.update", c -> c.param("blocks").contains("Expired"), WAIT);
    eventually(() -> f.refusals(DBA).size() == 1, "recorded");
  }

  @Test
  void aForgedCallbackGets401AndIsRecorded() {
    ApprovalRequest r = request(service, BotFixture.etlNightly(), "DELETE FROM app.orders");
    posted(r.id());
    JsonObject click = f.callbacks.click(DBA, ActionIds.approve(r.id()), r.id());
    Callback genuine = f.callbacks.signed(click);
    String ts = genuine.headers().get("X-Slack-Request-Timestamp").get(0);
    String sig = genuine.headers().get("x-slack-signature").get(0);

    Response forged =
        f.handler()
            .handle(
                genuine.body(),
                dev.gatehouse.slack.testing.SignedCallbacks.headers(ts, "v0=" + "0".repeat(64)));
    byte[] tampered = genuine.body().clone();
    tampered[tampered.length - 3] ^= 1;
    Response altered = f.handler().handle(tampered, genuine.headers());
    Response unsigned =
        f.handler()
            .handle(genuine.body(), Map.of("X-Slack-Request-Timestamp", java.util.List.of(ts)));

    assertThat(forged.status()).isEqualTo(401);
    assertThat(altered.status()).isEqualTo(401);
    assertThat(unsigned.status()).isEqualTo(401);
    assertThat(sig).startsWith("v0=");
    assertThat(f.audit.authentications)
        .filteredOn(e -> !e.succeeded() && e.failureReason().contains("signature"))
        .hasSize(3);
    assertThat(f.slack.calls("users.info")).isEmpty();
    assertThat(state(r.id())).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void aStaleOrFutureTimestampGets401() {
    ApprovalRequest r = request(service, BotFixture.etlNightly(), "DELETE FROM app.orders");
    JsonObject click = f.callbacks.click(DBA, ActionIds.approve(r.id()), r.id());
    java.time.Instant now = java.time.Instant.now();

    Callback old = f.callbacks.signedAt(click, now.minus(Duration.ofMinutes(6)));
    Callback future = f.callbacks.signedAt(click, now.plus(Duration.ofMinutes(6)));

    assertThat(f.handler().handle(old.body(), old.headers()).status()).isEqualTo(401);
    assertThat(f.handler().handle(future.body(), future.headers()).status()).isEqualTo(401);
    assertThat(f.audit.authentications)
        .filteredOn(e -> !e.succeeded() && e.failureReason().contains("stale"))
        .hasSize(2);
    assertThat(state(r.id())).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void slackAnswering429ThenSucceedingPostsOnce() {
    f.slack.rateLimit("chat.postMessage", 1, 1);

    ApprovalRequest r = request(service, BotFixture.etlNightly(), "DELETE FROM app.orders");

    posted(r.id());
    eventually(() -> store.message(r.id()).isPresent(), "stored");
    var attempts =
        f.slack.calls("chat.postMessage").stream()
            .filter(c -> c.param("blocks").contains(r.id().toString()))
            .toList();
    assertThat(attempts).hasSize(2);
    // Retry-After: 1 was honoured before the second attempt.
    assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void slackAnswering500ThenSucceedingPostsOnce() {
    f.slack.fail("chat.postMessage", 2);

    ApprovalRequest r = request(service, BotFixture.etlNightly(), "DELETE FROM app.orders");

    posted(r.id());
    eventually(() -> store.message(r.id()).isPresent(), "stored");
    assertThat(
            f.slack.calls("chat.postMessage").stream()
                .filter(c -> c.param("blocks").contains(r.id().toString())))
        .hasSize(3);
  }

  @Test
  void aSlackOutageNeverLosesOrBlocksARequest() throws Exception {
    f.slack.down();

    long start = System.nanoTime();
    ApprovalRequest decidedMeanwhile =
        request(service, BotFixture.etlNightly(), "DELETE FROM app.orders");
    ApprovalRequest stillOpen =
        request(service, BotFixture.etlNightly(), "DROP TABLE app.payments");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    // The bot has tried Slack for both and failed: the requests must still be there.
    eventually(
        () -> store.retried(decidedMeanwhile.id()) > 0 && store.retried(stillOpen.id()) > 0,
        "the bot tried slack for both requests");
    assertThat(service.pending())
        .extracting(ApprovalRequest::id)
        .contains(decidedMeanwhile.id(), stillOpen.id());
    // Decided from the CLI or API while Slack is away.
    Principal dba = BotFixture.principal("dba", Principal.Kind.PERSON, Set.of("dba"), Map.of());
    service.approve(decidedMeanwhile.id(), dba);
    assertThat(store.message(stillOpen.id())).isEmpty();

    f.slack.up();

    Call open = posted(stillOpen.id());
    assertThat(open.param("blocks")).contains(ActionIds.approve(stillOpen.id()));
    // Posted late, showing the decision: directly, or by an update when an attempt that rendered
    // the request before the decision was still retrying.
    posted(decidedMeanwhile.id());
    eventually(
        () ->
            store
                .message(decidedMeanwhile.id())
                .map(m -> m.shownState() == ApprovalState.APPROVED)
                .orElse(false),
        "the late message shows the approval");
    Call last =
        f.slack.calls().stream()
            .filter(c -> c.param("blocks").contains(decidedMeanwhile.id().toString()))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(last.param("blocks"))
        .contains("Approved")
        .doesNotContain(ActionIds.approve(decidedMeanwhile.id()));
    f.slack.await(
        "chat.postMessage",
        c ->
            c.param("channel").equals(ETL_OWNER)
                && c.param("text").contains(decidedMeanwhile.id().toString()),
        WAIT);
    assertThat(state(stillOpen.id())).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void cancellationUpdatesTheMessageAndTellsTheRequesterOnce() throws Exception {
    ApprovalRequest r = request(service, BotFixture.etlNightly(), "DELETE FROM app.orders");
    posted(r.id());
    eventually(() -> store.message(r.id()).isPresent(), "stored");

    service.cancel(r.id(), "the job was stopped");

    f.slack.await(
        "chat.update",
        c ->
            c.param("blocks").contains("Cancelled")
                && c.param("blocks").contains("the job was stopped"),
        WAIT);
    f.slack.await("chat.postMessage", c -> c.param("channel").equals(ETL_OWNER), WAIT);
    eventually(() -> store.finished(r.id(), SlackStore.JobKind.REQUESTER_DM) > 0, "dm job done");
    int handled = store.finished(r.id(), SlackStore.JobKind.REQUESTER_DM);
    // A second notification of the same outcome (another instance, a retry) is not a second DM.
    f.bot.notifier().decided(service.find(r.id()).orElseThrow());
    eventually(
        () -> store.finished(r.id(), SlackStore.JobKind.REQUESTER_DM) > handled,
        "the second notification handled");
    assertThat(
            f.slack.calls("chat.postMessage").stream()
                .filter(c -> c.param("channel").equals(ETL_OWNER)))
        .hasSize(1);
  }
}
