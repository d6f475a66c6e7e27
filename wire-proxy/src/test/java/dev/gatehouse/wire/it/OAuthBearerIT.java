package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.Authentication;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.SaslInitialResponse;
import dev.gatehouse.wire.protocol.frontend.SaslResponse;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import dev.gatehouse.wire.server.OAuthBearerConfig;
import dev.gatehouse.wire.server.WireProxyConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL 18's OAUTHBEARER as a second way to present the token: a raw protocol client, libpq 18
 * with a token hook (a small C client) and psql on libpq 18; password clients (pgjdbc, psql 15)
 * keep working beside it.
 */
class OAuthBearerIT {

  static final String ASK = "-c gatehouse.auth=oauthbearer";

  static ProxyFixture onRequest;
  static ProxyFixture byDefault;
  static String issuer;

  @BeforeAll
  static void start() {
    issuer = TestIssuer.get().issuerUrl();
    WireProxyConfig base = WireProxyConfig.defaults("127.0.0.1", 0);
    onRequest = new ProxyFixture(base.withOAuthBearer(new OAuthBearerConfig(issuer, null, false)));
    byDefault = new ProxyFixture(base.withOAuthBearer(new OAuthBearerConfig(issuer, null, true)));
  }

  @AfterAll
  static void stop() {
    onRequest.close();
    byDefault.close();
  }

  private static byte[] initial(String auth) {
    return ("n,,\u0001auth=" + auth + "\u0001\u0001").getBytes(StandardCharsets.UTF_8);
  }

  private static RawClient offered(ProxyFixture proxy, String options) throws Exception {
    RawClient raw = new RawClient(proxy.server.port());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("user", "analyst");
    params.put("database", TestPostgres.SHOP);
    if (options != null) {
      params.put("options", options);
    }
    raw.send(new StartupMessage(FrontendMessage.PROTOCOL_3_0, params));
    Authentication offer = (Authentication) raw.next();
    assertThat(offer.code()).isEqualTo(Authentication.SASL);
    assertThat(offer.mechanisms()).containsExactly("OAUTHBEARER");
    return raw;
  }

  @Test
  void aRawClientPresentsItsTokenThroughOauthbearer() throws Exception {
    try (RawClient raw = offered(onRequest, ASK)) {
      String token = ProxyFixture.token(ReferencePrincipal.ANALYST);
      raw.send(new SaslInitialResponse("OAUTHBEARER", initial("Bearer " + token)));
      List<BackendMessage> ready = raw.until('Z');
      assertThat(ready.get(0)).usingRecursiveComparison().isEqualTo(Authentication.ok());
      raw.send(new Query("SELECT 41 + 1"));
      assertThat(raw.until('Z')).noneMatch(ErrorResponse.class::isInstance);
    }
  }

  @Test
  void aRefusedTokenGetsTheErrorStatusThenTheRefusal() throws Exception {
    try (RawClient raw = offered(onRequest, ASK)) {
      raw.send(new SaslInitialResponse("OAUTHBEARER", initial("Bearer aaa.bbb.ccc")));
      Authentication status = (Authentication) raw.next();
      assertThat(status.code()).isEqualTo(Authentication.SASL_CONTINUE);
      assertThat(status.saslMessage())
          .isEqualTo(
              "{ \"status\": \"invalid_token\", \"openid-configuration\": \""
                  + issuer
                  + "/.well-known/openid-configuration\", \"scope\": \"openid\" }");
      raw.send(new SaslResponse(new byte[] {1}));
      ErrorResponse e = (ErrorResponse) raw.next();
      assertThat(e.sqlState()).isEqualTo("28P01");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void discoveryNamesTheIssuerAndEndsWithoutAnError() throws Exception {
    try (RawClient raw = offered(onRequest, ASK)) {
      raw.send(new SaslInitialResponse("OAUTHBEARER", initial("")));
      assertThat(((Authentication) raw.next()).saslMessage())
          .contains(
              "\"openid-configuration\": \"" + issuer + "/.well-known/openid-configuration\"");
      raw.send(new SaslResponse(new byte[] {1}));
      // PostgreSQL closes here without an ErrorResponse: the client fetches a token and returns.
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void passwordClientsKeepWorkingBesideIt() throws Exception {
    try (Connection c = onRequest.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
    // Where OAUTHBEARER is the default, a password client says so in its options.
    try (Connection c =
            byDefault.connect(
                ReferencePrincipal.ANALYST,
                TestPostgres.SHOP,
                "options=-c%20gatehouse.auth%3Dpassword");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
      assertThat(rs.next()).isTrue();
    }
    try (RawClient raw = offered(byDefault, null)) {
      assertThat(raw.socket.isConnected()).isTrue();
    }
    Assumptions.assumeTrue(Libpq18.available(), "psql is not installed");
    ProcessBuilder psql =
        new ProcessBuilder(
                Libpq18.PSQL.toString(), conninfo(onRequest, ""), "-Atc", "SELECT 41 + 1")
            .redirectErrorStream(true);
    psql.environment().put("PGPASSWORD", ProxyFixture.token(ReferencePrincipal.ANALYST));
    assertThat(run(psql)).isEqualTo("42");
  }

  @Test
  void libpq18HandsItsTokenThroughOauthbearerAfterDiscovery() throws Exception {
    Assumptions.assumeTrue(Libpq18.available(), "psql is not installed");
    Path client = compileHookClient();
    ProcessBuilder pb =
        new ProcessBuilder(
                client.toString(),
                conninfo(onRequest, oauth() + " options='" + ASK + "'"),
                "SELECT 41 + 1")
            .redirectErrorStream(true);
    pb.environment().put("LD_LIBRARY_PATH", Libpq18.lib().toString());
    // The test issuer speaks plain http on loopback; libpq wants https unless told otherwise.
    pb.environment().put("PGOAUTHDEBUG", "UNSAFE");
    pb.environment().put("GATEHOUSE_TOKEN", ProxyFixture.token(ReferencePrincipal.ANALYST));
    String out = run(pb);
    // libpq asked for discovery first, got the issuer, then called the hook once for the token.
    assertThat(out)
        .contains("discovery: " + issuer + "/.well-known/openid-configuration")
        .contains("scope: openid")
        .contains("tokens asked: 1")
        .contains("value: 42");
  }

  @Test
  void psqlOnLibpq18WithoutAFlowGetsAsFarAsTheFlow() throws Exception {
    Assumptions.assumeTrue(Libpq18.available(), "psql is not installed");
    Libpq18.Result r =
        Libpq18.run(
            List.of(conninfo(byDefault, oauth()), "-Atc", "SELECT 1"),
            Map.of("PGOAUTHDEBUG", "UNSAFE"));
    // Discovery went through (the issuer matched oauth_issuer); the device flow lives in the
    // libpq-oauth module, which these binaries do not ship.
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("no OAuth flows are available");
  }

  private static String oauth() {
    return "oauth_issuer=" + issuer + " oauth_client_id=gatehouse-test";
  }

  private static String conninfo(ProxyFixture proxy, String extra) {
    return "host=127.0.0.1 port="
        + proxy.server.port()
        + " dbname="
        + TestPostgres.SHOP
        + " user=analyst sslmode=disable "
        + extra;
  }

  /** The C client of {@code src/test/resources/libpq18/oauth_hook.c}, built against libpq 18. */
  private static Path compileHookClient() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed to build the client");
    Path dir = Files.createTempDirectory("gatehouse-oauth-hook-");
    Path source = dir.resolve("oauth_hook.c");
    try (var in = OAuthBearerIT.class.getResourceAsStream("/libpq18/oauth_hook.c")) {
      Files.copy(in, source);
    }
    Path binary = dir.resolve("oauth_hook");
    run(
        new ProcessBuilder(
                "gcc",
                "-o",
                binary.toString(),
                source.toString(),
                Libpq18.lib().resolve("libpq.so.5").toString())
            .redirectErrorStream(true));
    return binary;
  }

  private static String run(ProcessBuilder pb) throws Exception {
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", pb.command()) + "\n" + out).isZero();
    return out.strip();
  }
}
