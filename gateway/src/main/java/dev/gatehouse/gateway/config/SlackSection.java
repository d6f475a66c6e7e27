package dev.gatehouse.gateway.config;

import dev.gatehouse.engine.policy.yaml.YamlObject;
import dev.gatehouse.slack.config.ApproverIdentity;
import dev.gatehouse.slack.config.Secret;
import dev.gatehouse.slack.config.SlackBotConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The optional {@code slack} section: the approval bot's settings and approver directory. */
final class SlackSection {

  private final YamlObject s;

  SlackSection(YamlObject s) {
    this.s = s;
  }

  SlackBotConfig read() {
    s.fields(
        "`botToken`, `signingSecret`, `channel`, `apiUrl`, `teamId`, `approvers`, `requesters`,"
            + " `requireConfirmedEmail`");
    Secret bot = GatewayConfigReader.build(s, "botToken", () -> Secret.of(s.secret("botToken")));
    Secret signing =
        GatewayConfigReader.build(s, "signingSecret", () -> Secret.of(s.secret("signingSecret")));
    Map<String, ApproverIdentity> byEmail = new HashMap<>();
    Map<String, ApproverIdentity> byUser = new HashMap<>();
    for (YamlObject a : s.objects("approvers")) {
      a.fields("`email`, `slackUser`, `issuer`, `subject`, `groups`");
      ApproverIdentity identity =
          GatewayConfigReader.build(
              a,
              "subject",
              () ->
                  new ApproverIdentity(
                      a.string("issuer"), a.string("subject"), Set.copyOf(a.strings("groups"))));
      if (a.has("email") == a.has("slackUser")) {
        throw a.error("email", "give exactly one of `email` and `slackUser`");
      }
      if (a.has("email")) {
        byEmail.put(a.string("email"), identity);
      } else {
        byUser.put(a.string("slackUser"), identity);
      }
    }
    Map<String, String> requesters = new HashMap<>();
    YamlObject r = s.object("requesters", true);
    if (r != null) {
      for (String subject : r.keys()) {
        requesters.put(subject, r.string(subject));
      }
    }
    // The bot's own validation names no field: its message says which one was refused.
    return build(
        () ->
            SlackBotConfig.builder()
                .botToken(bot)
                .signingSecret(signing)
                .channel(s.string("channel"))
                .methodsEndpointUrlPrefix(s.string("apiUrl", SlackBotConfig.SLACK_METHODS_URL))
                .teamId(s.string("teamId", null))
                .approversByEmail(byEmail)
                .approversBySlackUser(byUser)
                .requesterSlackUsers(requesters)
                .requireConfirmedEmail(s.bool("requireConfirmedEmail", true))
                .build());
  }

  private SlackBotConfig build(java.util.function.Supplier<SlackBotConfig> factory) {
    try {
      return factory.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      String message = e.getMessage() == null ? "invalid value" : e.getMessage();
      throw s.error(fieldOf(message), message);
    }
  }

  /** The field a refusal of the Slack bot's settings is about, from its message. */
  static String fieldOf(String message) {
    String m = message.toLowerCase(java.util.Locale.ROOT);
    if (m.contains("bot token")) {
      return "botToken";
    } else if (m.contains("signing secret")) {
      return "signingSecret";
    } else if (m.contains("team id")) {
      return "teamId";
    } else if (m.contains("api url")) {
      return "apiUrl";
    } else if (m.contains("approver")) {
      return "approvers";
    } else if (m.contains("slack user id")) {
      // requesters map to Slack user ids; an approver's `slackUser` is caught above
      return "requesters";
    }
    return "channel";
  }
}
