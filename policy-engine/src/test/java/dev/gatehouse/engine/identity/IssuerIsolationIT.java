package dev.gatehouse.engine.identity;

import static dev.gatehouse.engine.identity.AuthenticationException.Reason.ISSUER_UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ManualClock;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** An issuer that is down or hangs refuses its own tokens quickly and holds up no other issuer. */
class IssuerIsolationIT {

  private final TestIssuer real = TestIssuer.get();
  private final ManualClock clock = new ManualClock(Instant.now());

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String deadIssuerUrl(int port) {
    return "http://127.0.0.1:" + port + "/loop";
  }

  private static IssuerConfig deadIssuer(int port) {
    return Issuers.loopback(
        deadIssuerUrl(port), URI.create(deadIssuerUrl(port) + "/.well-known/openid-configuration"));
  }

  private static String tokenNaming(String issuerUrl) {
    long now = System.currentTimeMillis();
    return LoopbackIssuer.sign(
        LoopbackIssuer.newKey("k1"),
        new com.nimbusds.jwt.JWTClaimsSet.Builder()
            .issuer(issuerUrl)
            .subject("job")
            .audience("gatehouse")
            .expirationTime(new java.util.Date(now + 600_000))
            .build());
  }

  @Test
  void deadIssuerIsUnavailableQuicklyAndTheRealOneStillVerifies() throws Exception {
    int port = freePort();
    JwtTokenVerifier verifier =
        new JwtTokenVerifier(
            List.of(deadIssuer(port), Issuers.testIssuer()), KeyRotationIT.settings(clock));

    String toDead = tokenNaming(deadIssuerUrl(port));
    long start = System.nanoTime();
    TokenRefusalIT.refused(verifier, toDead, ISSUER_UNAVAILABLE);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));

    for (ReferencePrincipal p : ReferencePrincipal.values()) {
      assertThat(verifier.verify(real.tokenFor(p)).subject()).isEqualTo(p.subject());
    }

    // Within the retry pause the dead issuer is not even contacted.
    start = System.nanoTime();
    TokenRefusalIT.refused(verifier, toDead, ISSUER_UNAVAILABLE);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
  }

  @Test
  void issuerThatComesBackRecovers() throws Exception {
    int port = freePort();
    JwtTokenVerifier verifier =
        new JwtTokenVerifier(
            List.of(deadIssuer(port), Issuers.testIssuer()), KeyRotationIT.settings(clock));
    TokenRefusalIT.refused(verifier, tokenNaming(deadIssuerUrl(port)), ISSUER_UNAVAILABLE);

    try (LoopbackIssuer back = LoopbackIssuer.start(port)) {
      String token = LoopbackIssuer.sign(back.currentKey(), back.claims("job").build());
      TokenRefusalIT.refused(verifier, token, ISSUER_UNAVAILABLE); // still within the retry pause
      assertThat(back.requests()).as("not contacted within the retry pause").isZero();

      clock.advance(Duration.ofSeconds(6));
      assertThat(verifier.verify(token).subject()).isEqualTo("job");
      assertThat(back.jwksFetches()).isEqualTo(1);
    }
  }

  @Test
  void hangingIssuerTimesOutWithoutHoldingUpTheOthers() throws Exception {
    // Accepts connections (the kernel does, through the backlog) and never answers.
    try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      blackHole.setSoTimeout(10_000);
      int port = blackHole.getLocalPort();
      VerifierSettings slow =
          new VerifierSettings(
              VerifierSettings.DEFAULT_MAX_TOKEN_CHARS,
              Duration.ofSeconds(1),
              Duration.ofSeconds(3),
              Duration.ofSeconds(30),
              Duration.ofSeconds(5),
              Duration.ofMinutes(10),
              64 * 1024,
              clock);
      JwtTokenVerifier verifier =
          new JwtTokenVerifier(List.of(deadIssuer(port), Issuers.testIssuer()), slow);
      String analyst = real.tokenFor(ReferencePrincipal.ANALYST);
      verifier.verify(analyst); // warm the real issuer's keys

      String toHanging = tokenNaming(deadIssuerUrl(port));
      long start = System.nanoTime();
      CompletableFuture<AuthenticationException> hanging =
          CompletableFuture.supplyAsync(
              () -> TokenRefusalIT.refused(verifier, toHanging, ISSUER_UNAVAILABLE));
      // Its connection arriving shows the hanging fetch has started; it is held open, unanswered.
      Socket fetch = blackHole.accept();
      long realStart = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        assertThat(verifier.verify(analyst).subject()).isEqualTo("analyst");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - realStart))
          .as("the real issuer's tokens do not wait for the hanging one")
          .isLessThan(Duration.ofSeconds(1));
      assertThat(hanging.isDone()).as("the hanging issuer is still being waited for").isFalse();

      assertThat(hanging.get().reason()).isEqualTo(ISSUER_UNAVAILABLE);
      fetch.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("bounded by the read timeout (3 s in this test)")
          .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(6));
    }
  }

  @Test
  void discoveryNamingAnotherIssuerIsRefused() throws Exception {
    try (LoopbackIssuer loop = LoopbackIssuer.start(0)) {
      String claimed = loop.issuerUrl() + "-other";
      JwtTokenVerifier verifier =
          new JwtTokenVerifier(
              List.of(Issuers.loopback(claimed, loop.discoveryUrl()), Issuers.testIssuer()),
              KeyRotationIT.settings(clock));
      String token =
          LoopbackIssuer.sign(loop.currentKey(), loop.claims("job").issuer(claimed).build());
      TokenRefusalIT.refused(verifier, token, ISSUER_UNAVAILABLE);
      assertThat(loop.jwksFetches()).as("keys of a mismatched issuer are never fetched").isZero();
      assertThat(verifier.verify(real.tokenFor(ReferencePrincipal.DBA)).subject()).isEqualTo("dba");
    }
  }

  @Test
  void unreadableKeySetIsUnavailableUntilFixed() throws Exception {
    try (LoopbackIssuer loop = LoopbackIssuer.start(0)) {
      JwtTokenVerifier verifier =
          new JwtTokenVerifier(List.of(Issuers.loopback(loop)), KeyRotationIT.settings(clock));
      String token = LoopbackIssuer.sign(loop.currentKey(), loop.claims("job").build());
      loop.publishRaw("<html>maintenance</html>");
      TokenRefusalIT.refused(verifier, token, ISSUER_UNAVAILABLE);

      loop.publish(loop.currentKey());
      clock.advance(Duration.ofSeconds(6));
      assertThat(verifier.verify(token).subject()).isEqualTo("job");
    }
  }

  @Test
  void cachedKeysOutliveAnOutage() throws Exception {
    LoopbackIssuer loop = LoopbackIssuer.start(0);
    JwtTokenVerifier verifier =
        new JwtTokenVerifier(List.of(Issuers.loopback(loop)), KeyRotationIT.settings(clock));
    String token = LoopbackIssuer.sign(loop.currentKey(), loop.claims("job").build());
    verifier.verify(token);
    loop.close();

    clock.advance(Duration.ofMinutes(3)); // older than the key set's maximum age
    assertThat(verifier.verify(token).subject()).isEqualTo("job");
  }
}
