package dev.gatehouse.engine.identity;

import static dev.gatehouse.engine.identity.AuthenticationException.Reason.UNKNOWN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.testkit.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An unknown key id refreshes the issuer's keys, at most once per refresh interval. */
class KeyRotationIT {

  private final ManualClock clock = new ManualClock(Instant.now());
  private LoopbackIssuer loop;
  private JwtTokenVerifier verifier;

  @BeforeEach
  void start() throws Exception {
    loop = LoopbackIssuer.start(0);
    verifier = new JwtTokenVerifier(List.of(Issuers.loopback(loop)), settings(clock));
  }

  @AfterEach
  void stop() {
    loop.close();
  }

  static VerifierSettings settings(Clock clock) {
    return new VerifierSettings(
        VerifierSettings.DEFAULT_MAX_TOKEN_CHARS,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        Duration.ofMinutes(2),
        64 * 1024,
        clock);
  }

  private String token(RSAKey key, String subject) {
    long now = clock.millis();
    JWTClaimsSet claims =
        loop.claims(subject)
            .issueTime(new Date(now))
            .expirationTime(new Date(now + Duration.ofHours(1).toMillis()))
            .build();
    return LoopbackIssuer.sign(key, claims);
  }

  @Test
  void keysAreFetchedOnceThenServedFromCache() throws Exception {
    assertThat(loop.jwksFetches()).as("nothing fetched before the first token").isZero();
    for (int i = 0; i < 50; i++) {
      assertThat(verifier.verify(token(loop.currentKey(), "alice")).subject()).isEqualTo("alice");
    }
    assertThat(loop.jwksFetches()).isEqualTo(1);
  }

  @Test
  void unknownKidRefreshesOnceThenIsRateLimited() throws Exception {
    verifier.verify(token(loop.currentKey(), "alice"));
    assertThat(loop.jwksFetches()).isEqualTo(1);

    RSAKey stranger = LoopbackIssuer.newKey("k-unknown");
    TokenRefusalIT.refused(verifier, token(stranger, "mallory"), UNKNOWN_KEY);
    assertThat(loop.jwksFetches()).as("keys fetched a moment ago are not refetched").isEqualTo(1);

    clock.advance(Duration.ofSeconds(30));
    TokenRefusalIT.refused(verifier, token(stranger, "mallory"), UNKNOWN_KEY);
    assertThat(loop.jwksFetches()).as("an unknown kid triggers one refresh").isEqualTo(2);

    for (int i = 0; i < 20; i++) {
      TokenRefusalIT.refused(verifier, token(stranger, "mallory"), UNKNOWN_KEY);
    }
    assertThat(loop.jwksFetches()).as("no refetch within the interval").isEqualTo(2);

    clock.advance(Duration.ofSeconds(31));
    TokenRefusalIT.refused(verifier, token(stranger, "mallory"), UNKNOWN_KEY);
    assertThat(loop.jwksFetches()).as("one more refetch after the interval").isEqualTo(3);
  }

  @Test
  void rotatedKeyIsPickedUpByTheRefresh() throws Exception {
    RSAKey k1 = loop.currentKey();
    verifier.verify(token(k1, "alice"));

    RSAKey k2 = LoopbackIssuer.newKey("k2");
    loop.publish(k2, k1);
    clock.advance(Duration.ofSeconds(31));
    assertThat(verifier.verify(token(k2, "bob")).subject()).isEqualTo("bob");
    assertThat(loop.jwksFetches()).isEqualTo(2);
    assertThat(verifier.verify(token(k1, "alice")).subject()).isEqualTo("alice");
    assertThat(loop.jwksFetches()).isEqualTo(2);
  }

  @Test
  void rotationSoonAfterAFetchWaitsForTheInterval() throws Exception {
    RSAKey k1 = loop.currentKey();
    verifier.verify(token(k1, "alice"));
    RSAKey k2 = LoopbackIssuer.newKey("k2");
    loop.publish(k2);

    clock.advance(Duration.ofSeconds(10));
    TokenRefusalIT.refused(verifier, token(k2, "bob"), UNKNOWN_KEY);
    assertThat(loop.jwksFetches()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(21));
    assertThat(verifier.verify(token(k2, "bob")).subject()).isEqualTo("bob");
    assertThat(loop.jwksFetches()).isEqualTo(2);
  }

  @Test
  void retiredKeyStopsVerifyingOnceTheKeySetAges() throws Exception {
    RSAKey k1 = loop.currentKey();
    String old = token(k1, "alice");
    verifier.verify(old);
    loop.publish(LoopbackIssuer.newKey("k2"));

    clock.advance(Duration.ofMinutes(3));
    TokenRefusalIT.refused(verifier, old, UNKNOWN_KEY);
    assertThat(loop.jwksFetches()).isEqualTo(2);
  }

  @Test
  void concurrentUnknownKidsCauseOneFetch() throws Exception {
    verifier.verify(token(loop.currentKey(), "alice"));
    RSAKey k2 = LoopbackIssuer.newKey("k2");
    loop.publish(k2);
    clock.advance(Duration.ofSeconds(31));
    String fresh = token(k2, "bob");

    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return verifier.verify(fresh).subject();
                }));
      }
      go.countDown();
      for (Future<String> r : results) {
        assertThat(r.get()).isEqualTo("bob");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(loop.jwksFetches()).isEqualTo(2);
  }
}
