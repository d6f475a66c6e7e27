package dev.gatehouse.engine.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real OIDC issuer on a loopback port: discovery and JWKS over HTTP, RSA keys it can
 * rotate, and tokens with any claims the tests need (no subject, future {@code nbf}...). It counts
 * JWKS fetches so tests can see refreshes and their rate limit.
 */
final class LoopbackIssuer implements AutoCloseable {

  private final HttpServer server;
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile List<JWK> published;
  private volatile String rawJwks;

  private LoopbackIssuer(HttpServer server, RSAKey key) {
    this.server = server;
    this.published = List.of(key);
  }

  /** Starts on {@code port}, or a free port when 0. */
  static LoopbackIssuer start(int port) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    LoopbackIssuer issuer = new LoopbackIssuer(server, newKey("k1"));
    server.createContext("/loop/.well-known/openid-configuration", issuer::discovery);
    server.createContext("/loop/jwks", issuer::jwks);
    server.start();
    return issuer;
  }

  static ECKey newEcKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs {@code claims} with the P-256 key {@code key} (ES256). */
  static String signEs256(ECKey key, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static RSAKey newKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  String issuerUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/loop";
  }

  URI discoveryUrl() {
    return URI.create(issuerUrl() + "/.well-known/openid-configuration");
  }

  URI jwksUrl() {
    return URI.create(issuerUrl() + "/jwks");
  }

  /** Every request served, discovery included. */
  int requests() {
    return requests.get();
  }

  int jwksFetches() {
    return jwksFetches.get();
  }

  RSAKey currentKey() {
    return (RSAKey) published.getFirst();
  }

  /** Publishes {@code keys} from now on, as an issuer does when it rotates. */
  void publish(JWK... keys) {
    published = List.of(keys);
    rawJwks = null;
  }

  /** Serves {@code body} as the JWKS from now on, whatever it is. */
  void publishRaw(String body) {
    rawJwks = body;
  }

  /** Signs {@code claims} with {@code key} as this issuer would; nothing is added. */
  static String sign(RSAKey key, JWTClaimsSet claims) {
    return sign(
        key, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
  }

  /** Signs {@code claims} under {@code header} with {@code key}. */
  static String sign(RSAKey key, JWSHeader header, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Claims with this issuer, audience {@code gatehouse}, subject and a lifetime of ten minutes. */
  JWTClaimsSet.Builder claims(String subject) {
    long now = System.currentTimeMillis() / 1000;
    return new JWTClaimsSet.Builder()
        .issuer(issuerUrl())
        .audience("gatehouse")
        .subject(subject)
        .issueTime(new java.util.Date(now * 1000))
        .expirationTime(new java.util.Date((now + 600) * 1000));
  }

  private void discovery(HttpExchange exchange) throws IOException {
    String doc = "{\"issuer\":\"" + issuerUrl() + "\",\"jwks_uri\":\"" + jwksUrl() + "\"}";
    respond(exchange, doc);
  }

  private void jwks(HttpExchange exchange) throws IOException {
    jwksFetches.incrementAndGet();
    respond(
        exchange,
        rawJwks != null
            ? rawJwks
            : new JWKSet(published.stream().map(JWK::toPublicJWK).toList()).toString());
  }

  private void respond(HttpExchange exchange, String body) throws IOException {
    requests.incrementAndGet();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
