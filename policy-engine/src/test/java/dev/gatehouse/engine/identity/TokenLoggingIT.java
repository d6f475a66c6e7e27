package dev.gatehouse.engine.identity;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Whatever is refused and however it is logged, the token text never reaches a log line. */
class TokenLoggingIT {

  private final TestIssuer issuer = TestIssuer.get();
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final PatternLayout layout = new PatternLayout();
  private Level rootLevel;

  @BeforeEach
  void capture() {
    layout.setContext(context);
    layout.setPattern("%level %logger %msg %mdc %ex{full}");
    layout.start();
    captured.setContext(context);
    captured.start();
    root.addAppender(captured);
    rootLevel = root.getLevel();
    root.setLevel(Level.TRACE); // the most the verifier or Nimbus could ever say
  }

  @AfterEach
  void release() {
    root.detachAppender(captured);
    root.setLevel(rootLevel);
  }

  @Test
  void refusalsNeverLogTheToken() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort();
    }
    String dead = "http://127.0.0.1:" + deadPort + "/loop";
    JwtTokenVerifier verifier =
        new JwtTokenVerifier(
            List.of(
                Issuers.testIssuer(),
                Issuers.loopback(dead, URI.create(dead + "/.well-known/openid-configuration"))));
    String genuine = issuer.tokenFor(ReferencePrincipal.SUPPORT_LEAD);
    verifier.verify(genuine);

    List<String> tokens = new ArrayList<>();
    tokens.add(issuer.personToken(ReferencePrincipal.ANALYST, Duration.ofSeconds(-300)));
    tokens.add(
        issuer.token(
            TestIssuer.TRUSTED_ID, "analyst", "elsewhere", Map.of(), Duration.ofMinutes(5)));
    tokens.add(issuer.token(TestIssuer.UNTRUSTED_ID, "analyst", Map.of(), Duration.ofMinutes(5)));
    tokens.add(Forge.unsigned(genuine));
    tokens.add(Forge.hmacWithPublicKey(issuer.jwksUrl(), Forge.claimsOf(genuine)));
    tokens.add(Forge.signedWithOwnKey("never-published", Forge.claimsOf(genuine)));
    tokens.add(Forge.tampered(genuine, "groups", List.of("dba")));
    tokens.add(
        Forge.signedWithOwnKey(
            "k1",
            new com.nimbusds.jwt.JWTClaimsSet.Builder(Forge.claimsOf(genuine))
                .issuer(dead)
                .build()));
    tokens.add(genuine.substring(0, genuine.lastIndexOf('.')) + ".");
    String[] parts = genuine.split("\\.");
    tokens.add(parts[0] + "." + Forge.b64("{\"sub\": " + parts[2]) + "." + parts[2]);
    tokens.add(genuine + "." + parts[2]);
    tokens.add(genuine + "x".repeat(20_000));

    List<AuthenticationException.Reason> reasons = new ArrayList<>();
    for (String token : tokens) {
      try {
        verifier.verify(token);
        throw new AssertionError("a bad token was accepted");
      } catch (AuthenticationException e) {
        reasons.add(e.reason());
      }
    }

    List<String> lines = captured.list.stream().map(layout::doLayout).toList();
    assertThat(lines)
        .as("every refusal is logged, with its reason")
        .filteredOn(l -> l.contains("token refused"))
        .hasSize(tokens.size());
    assertThat(String.join("\n", lines)).contains("ISSUER_UNAVAILABLE", "BAD_SIGNATURE");
    assertThat(reasons).hasSize(tokens.size()).doesNotContainNull();
    for (String token : tokens) {
      for (String line : lines) {
        assertThat(line).doesNotContain(token);
        for (String part : token.split("\\.")) {
          if (part.length() >= 16) {
            assertThat(line).doesNotContain(part.substring(0, 16));
          }
        }
      }
    }
  }
}
