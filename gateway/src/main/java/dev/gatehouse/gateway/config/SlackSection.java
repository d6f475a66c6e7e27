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
    return GatewayConfigReader.build(
        s,
        "channel",
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
}
