package dev.gatehouse.engine.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Forged and broken tokens, built by hand the way an attacker would build them. */
final class Forge {

  private Forge() {}

  /** {@code header.payload.} with {@code "alg":"none"} and the claims of {@code genuine}. */
  static String unsigned(String genuine) {
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    return header + "." + genuine.split("\\.")[1] + ".";
  }

  /**
   * An HS256 token whose HMAC secret is the issuer's published RSA public key (its X.509 encoding):
   * a verifier that lets the token choose the algorithm would accept it.
   */
  static String hmacWithPublicKey(String jwksUrl, JWTClaimsSet claims) throws Exception {
    RSAKey published = (RSAKey) JWKSet.load(URI.create(jwksUrl).toURL()).getKeys().getFirst();
    byte[] secret = published.toRSAPublicKey().getEncoded();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID()).build(), claims);
    jwt.sign(new MACSigner(secret));
    return jwt.serialize();
  }

  /** The published key id of the issuer at {@code jwksUrl}. */
  static String publishedKid(String jwksUrl) throws Exception {
    return JWKSet.load(URI.create(jwksUrl).toURL()).getKeys().getFirst().getKeyID();
  }

  /** {@code claims} signed with a fresh RSA key of our own under key id {@code kid}. */
  static String signedWithOwnKey(String kid, JWTClaimsSet claims) {
    return LoopbackIssuer.sign(LoopbackIssuer.newKey(kid), claims);
  }

  /** {@code genuine} with one payload claim changed and the original signature kept. */
  static String tampered(String genuine, String claim, Object value) throws Exception {
    String[] parts = genuine.split("\\.");
    Map<String, Object> payload =
        new HashMap<>(
            JSONObjectUtils.parse(
                new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)));
    payload.put(claim, value);
    return parts[0] + "." + b64(JSONObjectUtils.toJSONString(payload)) + "." + parts[2];
  }

  /** {@code genuine} with one header parameter added and its signature kept. */
  static String withHeader(String genuine, String name, Object value) throws Exception {
    String[] parts = genuine.split("\\.");
    Map<String, Object> header =
        new HashMap<>(
            JSONObjectUtils.parse(
                new String(Base64URL.from(parts[0]).decode(), StandardCharsets.UTF_8)));
    header.put(name, value);
    return b64(JSONObjectUtils.toJSONString(header)) + "." + parts[1] + "." + parts[2];
  }

  static String b64(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }

  static JWTClaimsSet claimsOf(String genuine) throws Exception {
    return SignedJWT.parse(genuine).getJWTClaimsSet();
  }
}
