package dev.gatehouse.slack.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.ApproverPolicy;
import dev.gatehouse.engine.audit.ApprovalEvent;
import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.audit.AuthEvent;
import dev.gatehouse.engine.audit.testing.MemoryAuditTrail;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.slack.SlackApprovalBot;
import dev.gatehouse.slack.audit.AuditTrailSlackAuditLog;
import dev.gatehouse.slack.config.ApproverIdentity;
import dev.gatehouse.slack.config.RetryPolicy;
import dev.gatehouse.slack.config.Secret;
import dev.gatehouse.slack.config.SlackBotConfig;
import dev.gatehouse.slack.interaction.SlackInteractionHandler;
import dev.gatehouse.slack.outbox.SlackStore;
import dev.gatehouse.testkit.Eventually;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The bot against the fake Slack: Slack users of the reference principals, the approver policy of
 * the reference policy (group {@code dba}), a signed-callback builder, and helpers.
 */
public final class BotFixture implements AutoCloseable {

  public static final String ISSUER = "https://issuer.gatehouse.test/default";
  public static final String TOKEN = "xoxb-test-token-0000";
  public static final Secret SIGNING_SECRET = Secret.of("test-signing-secret-0123456789abcdef");

  /** dba, mapped by confirmed e-mail through users.info. */
  public static final String DBA = "UDBA00001";

  /** a second approver, mapped by the explicit Slack-user map. */
  public static final String DBA2 = "UDBA00002";

  /** the analyst: a known identity but not an approver. */
  public static final String ANALYST = "UANALYST1";

  /** someone with dba's e-mail that Slack has not confirmed. */
  public static final String UNCONFIRMED = "UUNCONF01";

  /** someone with an e-mail nobody listed. */
  public static final String STRANGER = "USTRANGE1";

  /** the Slack user who owns the etl-nightly job and hears its outcomes. */
  public static final String ETL_OWNER = "UETLOWNR1";

  public static final ApproverPolicy DBA_GROUP =
      (approver, request) -> approver.groups().contains("dba");

  public final FakeSlack slack;
  public final SlackBotConfig config;
  public final MemoryAuditTrail audit;
  public final SignedCallbacks callbacks = new SignedCallbacks(SIGNING_SECRET);
  public final SlackApprovalBot bot;

  public BotFixture(SlackStore store) throws IOException {
    this(store, RetryPolicy.DEFAULT);
  }

  public BotFixture(SlackStore store, RetryPolicy retry) throws IOException {
    this(store, retry, null);
  }

  /** With {@code trail}, the bot's records also go to that (real) audit trail. */
  public BotFixture(SlackStore store, RetryPolicy retry, AuditTrail trail) throws IOException {
    audit = new MemoryAuditTrail(trail);
    slack = new FakeSlack(TOKEN);
    slack.addUser(new FakeSlack.User(DBA, FakeSlack.TEAM, "DBA@example.com", true, false));
    slack.addUser(new FakeSlack.User(ANALYST, FakeSlack.TEAM, "analyst@example.com", true, false));
    slack.addUser(new FakeSlack.User(UNCONFIRMED, FakeSlack.TEAM, "dba@example.com", false, false));
    slack.addUser(
        new FakeSlack.User(STRANGER, FakeSlack.TEAM, "stranger@example.com", true, false));
    config =
        SlackBotConfig.builder()
            .botToken(Secret.of(TOKEN))
            .signingSecret(SIGNING_SECRET)
            .channel(FakeSlack.CHANNEL)
            .teamId(FakeSlack.TEAM)
            .methodsEndpointUrlPrefix(slack.url())
            .approversByEmail(
                Map.of(
                    "dba@example.com",
                    new ApproverIdentity(ISSUER, "dba", Set.of("dba")),
                    "analyst@example.com",
                    new ApproverIdentity(ISSUER, "analyst", Set.of("analysts"))))
            .approversBySlackUser(
                Map.of(DBA2, new ApproverIdentity(ISSUER, "dba-2", Set.of("dba"))))
            .requesterSlackUsers(Map.of("etl-nightly", ETL_OWNER))
            .retry(retry)
            .outboxInterval(Duration.ofMillis(100))
            .build();
    bot =
        new SlackApprovalBot(
            config, store, DBA_GROUP, new AuditTrailSlackAuditLog(audit), Clock.systemUTC());
  }

  public SlackInteractionHandler handler() {
    return bot.interactionHandler();
  }

  /** The etl-nightly CI job, as its workload token says. */
  public static Principal etlNightly() {
    return principal(
        "etl-nightly",
        Principal.Kind.WORKLOAD,
        Set.of("etl"),
        Map.of("repository", "shop/etl", "ref", "refs/heads/main", "workflow", "nightly"));
  }

  public static Principal principal(
      String subject, Principal.Kind kind, Set<String> groups, Map<String, Object> claims) {
    return new Principal(
        ISSUER, subject, kind, groups, null, claims, Instant.now().plus(Duration.ofHours(1)));
  }

  /** A request from {@code requester} to run {@code sql} on {@code shop}. */
  public static ApprovalRequest request(ApprovalService service, Principal requester, String sql) {
    return service.request(
        requester,
        new RequestContext(Channel.WIRE, "shop", "psql", "127.0.0.1", Instant.now()),
        sql,
        List.of(),
        new Decision(
            Effect.REQUIRE_APPROVAL,
            List.of("etl-destructive-needs-approval"),
            "DELETE without a WHERE clause on app.orders",
            null,
            "test"));
  }

  /** Refused click records in the audit trail for {@code slackUser}. */
  public List<ApprovalEvent> refusals(String slackUser) {
    return audit.approvals.stream()
        .filter(
            e ->
                e.step() == ApprovalEvent.Step.REFUSED
                    && e.detail() != null
                    && e.detail().startsWith("slack user " + slackUser + " "))
        .toList();
  }

  public List<AuthEvent> accepted(String slackUser) {
    return audit.authentications.stream()
        .filter(e -> ("slack:" + slackUser).equals(e.clientAddress()) && e.succeeded())
        .toList();
  }

  public static void eventually(BooleanSupplier condition, String what) {
    Eventually.holdsWithin(Duration.ofSeconds(10), condition::getAsBoolean);
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  @Override
  public void close() {
    bot.close();
    slack.close();
    // The bot records authentications and approval steps, never connections or statements.
    assertThat(audit.connections).as("connection records of the slack bot").isEmpty();
    assertThat(audit.statements).as("statement records of the slack bot").isEmpty();
  }
}
