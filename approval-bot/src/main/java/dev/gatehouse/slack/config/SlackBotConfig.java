package dev.gatehouse.slack.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything the Slack approval bot needs, validated and defaulted here and nowhere else.
 *
 * @param botToken the bot token ({@code xoxb-...}); never logged
 * @param signingSecret the app's signing secret, the HMAC key of interaction callbacks; never
 *     logged
 * @param channel the channel id (or name) approval requests are posted to
 * @param methodsEndpointUrlPrefix the Web API base URL, {@code https://slack.com/api/} unless a
 *     test or an air-gapped Slack-compatible server says otherwise; always ends with {@code /}
 * @param teamId the Slack workspace whose users may decide, or null for any workspace the app is in
 * @param replayWindow how old (or how far in the future) a callback's timestamp may be
 * @param approversByEmail verified Slack e-mail (lower case) to identity-provider identity
 * @param approversBySlackUser Slack user id to identity; consulted before the e-mail directory
 * @param requesterSlackUsers requester subject to Slack user id, for direct messages on the outcome
 * @param requireConfirmedEmail refuse e-mail matches unless Slack says the address is confirmed
 * @param sqlPreviewChars the most SQL characters shown in a message
 * @param retry retries of one Web API call
 * @param outboxInterval how often undelivered Slack messages are retried
 */
public record SlackBotConfig(
    Secret botToken,
    Secret signingSecret,
    String channel,
    String methodsEndpointUrlPrefix,
    String teamId,
    Duration replayWindow,
    Map<String, ApproverIdentity> approversByEmail,
    Map<String, ApproverIdentity> approversBySlackUser,
    Map<String, String> requesterSlackUsers,
    boolean requireConfirmedEmail,
    int sqlPreviewChars,
    RetryPolicy retry,
    Duration outboxInterval) {

  /** Slack's own Web API. */
  public static final String SLACK_METHODS_URL = "https://slack.com/api/";

  /** Environment variable (or, with {@code _FILE}, a file) holding the bot token. */
  public static final String BOT_TOKEN_ENV = "GATEHOUSE_SLACK_BOT_TOKEN";

  /** Environment variable (or, with {@code _FILE}, a file) holding the signing secret. */
  public static final String SIGNING_SECRET_ENV = "GATEHOUSE_SLACK_SIGNING_SECRET";

  private static final Pattern CHANNEL = Pattern.compile("#?[A-Za-z0-9_.-]{1,80}");
  private static final Pattern SLACK_ID = Pattern.compile("[A-Z0-9]{2,32}");

  public SlackBotConfig {
    Objects.requireNonNull(botToken, "bot token");
    Objects.requireNonNull(signingSecret, "signing secret");
    // A user token (xoxp-) would act as a person; the bot must act as itself.
    if (!botToken.reveal().startsWith("xoxb-")) {
      throw new IllegalArgumentException(
          "the slack bot token must be a bot token starting with `xoxb-`");
    }
    if (signingSecret.reveal().length() < 16) {
      throw new IllegalArgumentException(
          "the slack signing secret is too short: copy it from the app's basic information page");
    }
    if (channel == null || !CHANNEL.matcher(channel).matches()) {
      throw new IllegalArgumentException(
          "slack channel `" + channel + "` is not a channel id such as `C0123456789`");
    }
    methodsEndpointUrlPrefix = normalizeUrl(methodsEndpointUrlPrefix);
    if (teamId != null && !SLACK_ID.matcher(teamId).matches()) {
      throw new IllegalArgumentException("slack team id `" + teamId + "` is not a team id");
    }
    if (replayWindow == null || replayWindow.isNegative() || replayWindow.isZero()) {
      throw new IllegalArgumentException("the replay window must be positive");
    }
    if (replayWindow.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException(
          "a replay window of `" + replayWindow + "` is longer than slack's 5 minutes");
    }
    approversByEmail = lowerCaseKeys(approversByEmail);
    approversBySlackUser = Map.copyOf(approversBySlackUser);
    approversBySlackUser.keySet().forEach(SlackBotConfig::requireSlackUserId);
    requesterSlackUsers = Map.copyOf(requesterSlackUsers);
    requesterSlackUsers.values().forEach(SlackBotConfig::requireSlackUserId);
    if (sqlPreviewChars < 200 || sqlPreviewChars > 2800) {
      throw new IllegalArgumentException(
          "the sql preview must be 200 to 2800 characters (slack allows 3000 per block), got "
              + sqlPreviewChars);
    }
    Objects.requireNonNull(retry, "retry");
    if (outboxInterval == null || outboxInterval.toMillis() < 10) {
      throw new IllegalArgumentException("the outbox interval must be at least 10ms");
    }
  }

  /** A builder with Slack's URL, a 5-minute replay window and the default retries. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads secret {@code name} from the environment: the variable itself, or a file named by {@code
   * name_FILE} (for mounted secrets); exactly one of the two.
   */
  public static Secret secretFromEnvironment(Map<String, String> env, String name) {
    String direct = env.get(name);
    String file = env.get(name + "_FILE");
    if (direct != null && file != null) {
      throw new IllegalArgumentException("set `" + name + "` or `" + name + "_FILE`, not both");
    }
    if (file != null) {
      try {
        return Secret.of(java.nio.file.Files.readString(java.nio.file.Path.of(file)));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(
            "cannot read `" + name + "_FILE` at `" + file + "`: " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the file `" + file + "` is empty");
      }
    }
    if (direct == null || direct.isBlank()) {
      throw new IllegalArgumentException("set `" + name + "` or `" + name + "_FILE`");
    }
    return Secret.of(direct);
  }

  @Override
  public String toString() {
    return "SlackBotConfig[channel="
        + channel
        + ", url="
        + methodsEndpointUrlPrefix
        + ", team="
        + teamId
        + ", approvers="
        + (approversByEmail.size() + approversBySlackUser.size())
        + ", botToken=****, signingSecret=****]";
  }

  private static String normalizeUrl(String url) {
    if (url == null || url.isBlank()) {
      return SLACK_METHODS_URL;
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("slack api url `" + url + "` is not a url");
    }
    if (uri.getHost() == null
        || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
      throw new IllegalArgumentException(
          "slack api url `"
              + url
              + "` must be an http or https url such as `"
              + SLACK_METHODS_URL
              + "`");
    }
    return url.endsWith("/") ? url : url + "/";
  }

  private static Map<String, ApproverIdentity> lowerCaseKeys(Map<String, ApproverIdentity> map) {
    Map<String, ApproverIdentity> result = new HashMap<>();
    map.forEach(
        (email, identity) -> {
          if (!email.contains("@")) {
            throw new IllegalArgumentException(
                "approver e-mail `" + email + "` is not an e-mail address");
          }
          if (result.put(email.strip().toLowerCase(Locale.ROOT), identity) != null) {
            throw new IllegalArgumentException("approver e-mail `" + email + "` is listed twice");
          }
        });
    return Map.copyOf(result);
  }

  private static void requireSlackUserId(String id) {
    if (!SLACK_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("`" + id + "` is not a slack user id such as `U0123ABCD`");
    }
  }

  /** Builds a config; {@link #build()} validates. */
  public static final class Builder {
    private Secret botToken;
    private Secret signingSecret;
    private String channel;
    private String url = SLACK_METHODS_URL;
    private String teamId;
    private Duration replayWindow = Duration.ofMinutes(5);
    private Map<String, ApproverIdentity> byEmail = Map.of();
    private Map<String, ApproverIdentity> bySlackUser = Map.of();
    private Map<String, String> requesters = Map.of();
    private boolean requireConfirmedEmail = true;
    private int sqlPreviewChars = 2500;
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private Duration outboxInterval = Duration.ofSeconds(5);

    public Builder botToken(Secret v) {
      botToken = v;
      return this;
    }

    public Builder signingSecret(Secret v) {
      signingSecret = v;
      return this;
    }

    /** Reads both secrets with {@link #secretFromEnvironment}. */
    public Builder secretsFromEnvironment(Map<String, String> env) {
      botToken = secretFromEnvironment(env, BOT_TOKEN_ENV);
      signingSecret = secretFromEnvironment(env, SIGNING_SECRET_ENV);
      return this;
    }

    public Builder channel(String v) {
      channel = v;
      return this;
    }

    public Builder methodsEndpointUrlPrefix(String v) {
      url = v;
      return this;
    }

    public Builder teamId(String v) {
      teamId = v;
      return this;
    }

    public Builder replayWindow(Duration v) {
      replayWindow = v;
      return this;
    }

    public Builder approversByEmail(Map<String, ApproverIdentity> v) {
      byEmail = v;
      return this;
    }

    public Builder approversBySlackUser(Map<String, ApproverIdentity> v) {
      bySlackUser = v;
      return this;
    }

    public Builder requesterSlackUsers(Map<String, String> v) {
      requesters = v;
      return this;
    }

    public Builder requireConfirmedEmail(boolean v) {
      requireConfirmedEmail = v;
      return this;
    }

    public Builder sqlPreviewChars(int v) {
      sqlPreviewChars = v;
      return this;
    }

    public Builder retry(RetryPolicy v) {
      retry = v;
      return this;
    }

    public Builder outboxInterval(Duration v) {
      outboxInterval = v;
      return this;
    }

    public SlackBotConfig build() {
      return new SlackBotConfig(
          botToken,
          signingSecret,
          channel,
          url,
          teamId,
          replayWindow,
          byEmail,
          bySlackUser,
          requesters,
          requireConfirmedEmail,
          sqlPreviewChars,
          retry,
          outboxInterval);
    }
  }
}
