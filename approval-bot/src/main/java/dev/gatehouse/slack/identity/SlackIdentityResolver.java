package dev.gatehouse.slack.identity;

import com.slack.api.model.User;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.slack.api.SlackApi;
import dev.gatehouse.slack.api.SlackCallException;
import dev.gatehouse.slack.config.ApproverIdentity;
import dev.gatehouse.slack.config.SlackBotConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps the Slack user who clicked to the identity-provider identity they act as: first the explicit
 * map (Slack user id to identity), then the user's e-mail from {@code users.info} matched against
 * the approver directory. A display name is never trusted; guests, bots, deleted users, users of
 * another workspace and (unless configured otherwise) unconfirmed e-mail addresses map to nobody.
 */
public final class SlackIdentityResolver {

  /** The outcome: an identity, or why there is none. */
  public sealed interface Result {
    /** The Slack user acts as {@code principal}. */
    record Mapped(Principal principal) implements Result {}

    /** The Slack user maps to no identity, for {@code reason}. */
    record Unmapped(String reason) implements Result {}
  }

  private static final Duration CACHE_FOR = Duration.ofMinutes(5);
  private static final Duration PRINCIPAL_VALID_FOR = Duration.ofMinutes(10);

  private record Cached(Result result, Instant until) {}

  private final SlackBotConfig config;
  private final SlackApi slack;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public SlackIdentityResolver(SlackBotConfig config, SlackApi slack, Clock clock) {
    this.config = config;
    this.slack = slack;
    this.clock = clock;
  }

  /** Resolves the user {@code userId} of workspace {@code teamId}, as a callback names them. */
  public Result resolve(String userId, String teamId) throws SlackCallException {
    if (userId == null || userId.isBlank()) {
      return new Result.Unmapped("the callback names no slack user");
    }
    if (config.teamId() != null && !config.teamId().equals(teamId)) {
      return new Result.Unmapped("clicks from slack workspace `" + teamId + "` are not accepted");
    }
    ApproverIdentity explicit = config.approversBySlackUser().get(userId);
    if (explicit != null) {
      return mapped(explicit, Map.of("slack_user_id", userId));
    }
    Instant now = clock.instant();
    Cached cached = cache.get(userId);
    if (cached != null && cached.until().isAfter(now)) {
      return cached.result();
    }
    User user = slack.call("users.info", m -> m.usersInfo(b -> b.user(userId))).getUser();
    Result result = fromDirectory(userId, user);
    cache.put(userId, new Cached(result, now.plus(CACHE_FOR)));
    return result;
  }

  private Result fromDirectory(String userId, User user) {
    if (user == null || user.isDeleted()) {
      return new Result.Unmapped("slack user `" + userId + "` does not exist or was deactivated");
    }
    if (user.isBot() || user.isAppUser() || user.isWorkflowBot()) {
      return new Result.Unmapped("bots cannot approve");
    }
    // Guests and Slack Connect users can hold any address their own organisation lets them set.
    if (user.isRestricted() || user.isUltraRestricted() || user.isStranger()) {
      return new Result.Unmapped("guest and external slack accounts cannot approve");
    }
    if (config.teamId() != null
        && user.getTeamId() != null
        && !config.teamId().equals(user.getTeamId())) {
      return new Result.Unmapped("slack user `" + userId + "` belongs to another workspace");
    }
    String email = user.getProfile() == null ? null : user.getProfile().getEmail();
    if (email == null || email.isBlank()) {
      return new Result.Unmapped(
          "slack did not share the e-mail of `" + userId + "` (the app needs `users:read.email`)");
    }
    // The SDK reads an absent is_email_confirmed as false, so this fails closed.
    if (config.requireConfirmedEmail() && !user.isEmailConfirmed()) {
      return new Result.Unmapped("the slack e-mail of `" + userId + "` is not confirmed");
    }
    ApproverIdentity identity =
        config.approversByEmail().get(email.strip().toLowerCase(Locale.ROOT));
    if (identity == null) {
      return new Result.Unmapped("`" + email + "` is not in the approver directory");
    }
    return mapped(identity, Map.of("slack_user_id", userId, "email", email));
  }

  private Result mapped(ApproverIdentity identity, Map<String, Object> claims) {
    return new Result.Mapped(
        new Principal(
            identity.issuer(),
            identity.subject(),
            Principal.Kind.PERSON,
            identity.groups(),
            null,
            claims,
            clock.instant().plus(PRINCIPAL_VALID_FOR)));
  }
}
