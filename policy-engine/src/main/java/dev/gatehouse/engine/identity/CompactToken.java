package dev.gatehouse.engine.identity;

import static dev.gatehouse.engine.identity.AuthenticationException.Reason.ALGORITHM_NOT_ALLOWED;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.MALFORMED;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.MISSING_TOKEN;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.OVERSIZED;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;

/**
 * A JWS in compact serialization, split and decoded but not yet trusted: nothing in it may be
 * believed before the signature over {@link #signingInput} is checked.
 *
 * <p>Parsing errors never carry the parser's message or cause, since those can quote the token.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7515#section-7.1">RFC 7515 §7.1</a>
 */
record CompactToken(
    JWSHeader header, Map<String, Object> payload, byte[] signingInput, Base64URL signature) {

  /** Splits and decodes {@code token}, refusing anything that is not a well-formed signed JWT. */
  static CompactToken parse(String token, int maxChars) throws AuthenticationException {
    if (token == null || token.isBlank()) {
      throw new AuthenticationException(MISSING_TOKEN, "no token was presented");
    }
    if (token.length() > maxChars) {
      throw new AuthenticationException(
          OVERSIZED, "token is " + token.length() + " characters long; the limit is " + maxChars);
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0) {
      throw new AuthenticationException(MALFORMED, "token is not a signed jwt (three parts)");
    }
    if (token.indexOf('.', second + 1) >= 0) {
      throw new AuthenticationException(
          MALFORMED, "token is not a signed jwt (three parts); encrypted tokens are not accepted");
    }
    String headerPart = token.substring(0, first);
    String payloadPart = token.substring(first + 1, second);
    String signaturePart = token.substring(second + 1);
    Map<String, Object> headerJson = json("header", headerPart);
    Object alg = headerJson.get("alg");
    if (!(alg instanceof String name) || name.isBlank()) {
      throw new AuthenticationException(MALFORMED, "token header names no algorithm (`alg`)");
    }
    if (name.equalsIgnoreCase("none")) {
      throw new AuthenticationException(
          ALGORITHM_NOT_ALLOWED, "unsigned tokens (`alg` `none`) are not accepted");
    }
    if (signaturePart.isEmpty() || !isBase64Url(signaturePart)) {
      throw new AuthenticationException(MALFORMED, "token signature is missing or not base64url");
    }
    JWSHeader header;
    try {
      header = JWSHeader.parse(headerJson, new Base64URL(headerPart));
    } catch (ParseException | RuntimeException e) {
      throw new AuthenticationException(MALFORMED, "token header is not a valid jws header");
    }
    Map<String, Object> payload = json("payload", payloadPart);
    byte[] signingInput =
        token.substring(0, second).getBytes(StandardCharsets.US_ASCII); // checked base64url above
    return new CompactToken(header, payload, signingInput, new Base64URL(signaturePart));
  }

  /** The {@code iss} claim as the token states it, used only to choose the keys. */
  String unverifiedIssuer() {
    return payload.get("iss") instanceof String iss ? iss : null;
  }

  private static Map<String, Object> json(String part, String encoded)
      throws AuthenticationException {
    if (encoded.isEmpty() || !isBase64Url(encoded)) {
      throw new AuthenticationException(MALFORMED, "token " + part + " is not base64url");
    }
    byte[] decoded;
    try {
      decoded = Base64.getUrlDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new AuthenticationException(MALFORMED, "token " + part + " is not base64url");
    }
    try {
      return JSONObjectUtils.parse(new String(decoded, StandardCharsets.UTF_8));
    } catch (ParseException | RuntimeException e) {
      throw new AuthenticationException(MALFORMED, "token " + part + " is not a json object");
    }
  }

  /** Compact JWS uses unpadded base64url; anything else (padding, '+', '/', spaces) is refused. */
  private static boolean isBase64Url(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
