package dev.gatehouse.slack.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.slack.api.SlackApi;
import dev.gatehouse.slack.config.ApproverIdentity;
import dev.gatehouse.slack.config.Secret;
import dev.gatehouse.slack.config.SlackBotConfig;
import dev.gatehouse.slack.identity.SlackIdentityResolver.Result;
import dev.gatehouse.slack.testing.FakeSlack;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlackIdentityResolverTest {

  private static final String ISSUER = "https://issuer.example";
  private FakeSlack slack;
  private SlackApi api;

  @BeforeEach
  void start() throws Exception {
    slack = new FakeSlack("xoxb-resolver");
    slack.addUser(new FakeSlack.User("UDBA00001", FakeSlack.TEAM, "dba@example.com", true, false));
    slack.addUser(new FakeSlack.User("UGUEST001", FakeSlack.TEAM, "dba@example.com", true, true));
    slack.addUser(new FakeSlack.User("UOTHER001", "TOTHERORG", "dba@example.com", true, false));
    slack.addUser(new FakeSlack.User("UUNCONF01", FakeSlack.TEAM, "dba@example.com", false, false));
  }

  @AfterEach
  void stop() {
    api.close();
    slack.close();
  }

  private SlackIdentityResolver resolver(boolean requireConfirmed) {
    SlackBotConfig config =
        SlackBotConfig.builder()
            .botToken(Secret.of("xoxb-resolver"))
            .signingSecret(Secret.of("0123456789abcdef0123"))
            .channel("C1")
            .teamId(FakeSlack.TEAM)
            .methodsEndpointUrlPrefix(slack.url())
            .requireConfirmedEmail(requireConfirmed)
            .approversByEmail(
                Map.of("dba@example.com", new ApproverIdentity(ISSUER, "dba", Set.of("dba"))))
            .build();
    api = new SlackApi(config);
    return new SlackIdentityResolver(config, api, Clock.systemUTC());
  }

  @Test
  void mapsAConfirmedEmailToTheIdentityAndCachesIt() throws Exception {
    SlackIdentityResolver resolver = resolver(true);

    Result first = resolver.resolve("UDBA00001", FakeSlack.TEAM);
    Result second = resolver.resolve("UDBA00001", FakeSlack.TEAM);

    assertThat(first).isInstanceOf(Result.Mapped.class);
    Principal p = ((Result.Mapped) first).principal();
    assertThat(p.issuer()).isEqualTo(ISSUER);
    assertThat(p.subject()).isEqualTo("dba");
    assertThat(p.groups()).containsExactly("dba");
    assertThat(p.kind()).isEqualTo(Principal.Kind.PERSON);
    assertThat(p.claim("slack_user_id")).isEqualTo("UDBA00001");
    assertThat(second).isEqualTo(first);
    assertThat(slack.calls("users.info")).hasSize(1);
  }

  @Test
  void guestsForeignUsersAndUnconfirmedEmailsMapToNobody() throws Exception {
    SlackIdentityResolver resolver = resolver(true);

    assertThat(resolver.resolve("UGUEST001", FakeSlack.TEAM))
        .isEqualTo(new Result.Unmapped("guest and external slack accounts cannot approve"));
    assertThat(resolver.resolve("UOTHER001", FakeSlack.TEAM))
        .isEqualTo(new Result.Unmapped("slack user `UOTHER001` belongs to another workspace"));
    assertThat(resolver.resolve("UDBA00001", "TOTHERORG"))
        .isEqualTo(new Result.Unmapped("clicks from slack workspace `TOTHERORG` are not accepted"));
    assertThat(resolver.resolve("UUNCONF01", FakeSlack.TEAM))
        .isEqualTo(new Result.Unmapped("the slack e-mail of `UUNCONF01` is not confirmed"));
  }

  @Test
  void anUnconfirmedEmailCanBeAcceptedWhenConfiguredSo() throws Exception {
    assertThat(resolver(false).resolve("UUNCONF01", FakeSlack.TEAM))
        .isInstanceOf(Result.Mapped.class);
  }
}
