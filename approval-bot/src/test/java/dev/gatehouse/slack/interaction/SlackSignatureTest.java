package dev.gatehouse.slack.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.slack.config.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SlackSignatureTest {

  // The worked example of Slack's "Verifying requests from Slack" page.
  private static final Secret SECRET = Secret.of("8f742231b10e8888abcd99yyyzzz85a5");
  private static final String TIMESTAMP = "1531420618";
  private static final byte[] BODY =
      ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
              + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect"
              + "&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554"
              + "%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
          .getBytes(StandardCharsets.UTF_8);
  private static final String EXPECTED =
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

  private static SlackSignature at(long epochSecond) {
    return new SlackSignature(
        SECRET,
        Duration.ofMinutes(5),
        Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
  }

  @Test
  void matchesSlacksWorkedExample() {
    SlackSignature signature = at(1531420618);

    assertThat(signature.sign(TIMESTAMP, BODY)).isEqualTo(EXPECTED);
    assertThat(signature.check(TIMESTAMP, EXPECTED, BODY)).isEmpty();
  }

  @Test
  void refusesAnotherBodySecretOrVersion() {
    SlackSignature signature = at(1531420618);
    byte[] altered = BODY.clone();
    altered[10] ^= 1;
    SlackSignature otherSecret =
        new SlackSignature(
            Secret.of("another-secret-of-enough-length"),
            Duration.ofMinutes(5),
            Clock.fixed(Instant.ofEpochSecond(1531420618), ZoneOffset.UTC));

    assertThat(signature.check(TIMESTAMP, EXPECTED, altered)).contains("bad slack signature");
    assertThat(otherSecret.check(TIMESTAMP, EXPECTED, BODY)).contains("bad slack signature");
    assertThat(signature.check(TIMESTAMP, EXPECTED.replace("v0=", "v1="), BODY))
        .contains("bad slack signature");
    assertThat(signature.check(TIMESTAMP, EXPECTED.toUpperCase(), BODY))
        .contains("bad slack signature");
  }

  @Test
  void theReplayWindowIsFiveMinutesEitherWay() {
    assertThat(at(1531420618 + 300).check(TIMESTAMP, EXPECTED, BODY)).isEmpty();
    assertThat(at(1531420618 - 300).check(TIMESTAMP, EXPECTED, BODY)).isEmpty();
    assertThat(at(1531420618 + 301).check(TIMESTAMP, EXPECTED, BODY))
        .get()
        .asString()
        .contains("stale");
    assertThat(at(1531420618 - 301).check(TIMESTAMP, EXPECTED, BODY))
        .get()
        .asString()
        .contains("stale");
  }

  @Test
  void refusesMissingOrMalformedHeaders() {
    SlackSignature signature = at(1531420618);

    assertThat(signature.check(null, EXPECTED, BODY)).contains("missing slack signature headers");
    assertThat(signature.check(TIMESTAMP, null, BODY)).contains("missing slack signature headers");
    assertThat(signature.check("soon", EXPECTED, BODY))
        .contains("malformed slack request timestamp");
    assertThat(signature.check(TIMESTAMP, "v0=", BODY)).contains("bad slack signature");
  }
}
