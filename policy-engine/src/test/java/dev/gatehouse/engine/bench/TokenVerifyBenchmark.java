package dev.gatehouse.engine.bench;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.IssuerConfig;
import dev.gatehouse.engine.identity.JwtTokenVerifier;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Latency of {@link JwtTokenVerifier#verify} for a token whose issuer keys are already cached
 * (RS256, 2048-bit key of the real test issuer): the cost every statement's identity check pays.
 *
 * <p>{@code baselineNimbusVerify} is the floor: Nimbus parsing the token and checking its RS256
 * signature with a ready verifier, no claim checks. Run from the repository root:
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -pl policy-engine -am \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp policy-engine/target/test-classes:policy-engine/target/classes:$(cat \
 *     policy-engine/target/test-classpath.txt) dev.gatehouse.engine.bench.TokenVerifyBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenVerifyBenchmark {

  private JwtTokenVerifier verifier;
  private String personToken;
  private String workloadToken;
  private RSASSAVerifier rsa;

  @Setup
  public void warmUp() throws AuthenticationException {
    TestIssuer issuer = TestIssuer.get();
    verifier =
        new JwtTokenVerifier(
            List.of(
                new IssuerConfig(
                    issuer.issuerUrl(),
                    URI.create(issuer.discoveryUrl()),
                    null,
                    List.of(TestIssuer.AUDIENCE),
                    Set.of("RS256"),
                    Duration.ofSeconds(30),
                    "groups",
                    "client_id",
                    "client_id")));
    personToken = issuer.tokenFor(ReferencePrincipal.SUPPORT_LEAD);
    workloadToken = issuer.tokenFor(ReferencePrincipal.ETL_NIGHTLY);
    verifier.verify(personToken); // fetches discovery and the JWKS once
    try {
      rsa =
          new RSASSAVerifier(
              (RSAKey) JWKSet.load(URI.create(issuer.jwksUrl()).toURL()).getKeys().getFirst());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Benchmark
  public boolean baselineNimbusVerify() throws Exception {
    return SignedJWT.parse(personToken).verify(rsa);
  }

  @Benchmark
  public Principal verifyPersonToken() throws AuthenticationException {
    return verifier.verify(personToken);
  }

  @Benchmark
  public Principal verifyWorkloadToken() throws AuthenticationException {
    return verifier.verify(workloadToken);
  }

  /** Runs the benchmark and prints median and p99 per method. */
  public static void main(String[] args) throws Exception {
    var results =
        new Runner(
                new OptionsBuilder()
                    .include(TokenVerifyBenchmark.class.getSimpleName())
                    .jvmArgsAppend("-Xmx512m")
                    .build())
            .run();
    for (RunResult r : results) {
      Statistics s = r.getPrimaryResult().getStatistics();
      System.out.printf(
          "%s: median %.1f us, p99 %.1f us, n=%d%n",
          r.getParams().getBenchmark(), s.getPercentile(50), s.getPercentile(99), s.getN());
    }
  }
}
