package dev.gatehouse.wire.flow;

import dev.gatehouse.wire.protocol.ProtocolViolation;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The OAUTHBEARER SASL mechanism's messages (RFC 7628 §3.1), read and written as PostgreSQL 18
 * reads and writes them: the client's initial response is a GS2 header ({@code n,,} or {@code y,,};
 * no channel binding, no authorization identity), then {@code \x01}-separated key/value pairs
 * ending in an empty pair, one of them {@code auth=Bearer <token>}; an empty {@code auth} asks for
 * discovery. A failure is answered with a JSON error status, to which the client answers with a
 * single {@code \x01}.
 *
 * @see <a href="https://www.postgresql.org/docs/18/sasl-authentication.html">SASL
 *     authentication</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7628#section-3.1">RFC 7628 §3.1</a>
 */
public final class OAuthBearer {

  public static final String MECHANISM = "OAUTHBEARER";

  /** The separator of key/value pairs, and the client's whole answer to an error status. */
  public static final byte KVSEP = 0x01;

  private static final String BEARER = "bearer ";

  private OAuthBearer() {}

  /**
   * The token of a client initial response, or the empty string when the client asks for discovery
   * (an empty {@code auth} value).
   */
  public static String token(byte[] message) {
    String in = new String(message, StandardCharsets.UTF_8);
    if (in.isEmpty()) {
      throw malformed("the message is empty");
    }
    if (in.indexOf('\0') >= 0) {
      throw malformed("the message holds a NUL byte");
    }
    int p = 0;
    char binding = in.charAt(p);
    if (binding == 'p') {
      throw malformed("the gateway does not support channel binding for OAUTHBEARER");
    }
    if (binding != 'n' && binding != 'y') {
      throw malformed("unexpected channel-binding flag");
    }
    p++;
    expect(in, p++, ',', "a comma after the channel-binding flag");
    if (p < in.length() && in.charAt(p) == 'a') {
      throw malformed("the gateway does not support an authorization identity");
    }
    expect(in, p++, ',', "a comma after the GS2 header");
    expect(in, p++, (char) KVSEP, "a key/value separator after the GS2 header");
    String auth = null;
    while (true) {
      int end = in.indexOf(KVSEP, p);
      if (end < 0) {
        throw malformed("a key/value pair is not terminated");
      }
      if (end == p) {
        if (end + 1 != in.length()) {
          throw malformed("the message holds data after its final separator");
        }
        break;
      }
      String pair = in.substring(p, end);
      int eq = pair.indexOf('=');
      if (eq <= 0 || !pair.substring(0, eq).chars().allMatch(OAuthBearer::alpha)) {
        throw malformed("a key is empty, invalid or has no value");
      }
      String value = pair.substring(eq + 1);
      if (!value.chars().allMatch(OAuthBearer::valueChar)) {
        throw malformed("a value holds a character RFC 7628 does not allow");
      }
      if (pair.substring(0, eq).equals("auth")) {
        if (auth != null) {
          throw malformed("the message holds more than one auth value");
        }
        auth = value;
      }
      p = end + 1;
    }
    if (auth == null) {
      throw malformed("the message holds no auth value");
    }
    if (auth.isEmpty()) {
      return "";
    }
    if (!auth.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw malformed("the auth value is not a Bearer token");
    }
    String token = auth.substring(BEARER.length()).strip();
    if (token.isEmpty() || !token.chars().allMatch(OAuthBearer::b64token)) {
      throw malformed("the Bearer token is empty or holds characters a token cannot hold");
    }
    return token;
  }

  /** True for the one answer a client may give to an error status: a single separator. */
  public static boolean isKvsep(byte[] message) {
    return message != null && message.length == 1 && message[0] == KVSEP;
  }

  /** The error status PostgreSQL 18 sends when a token is refused or discovery is asked for. */
  public static byte[] errorStatus(String discoveryUrl, String scope) {
    String json =
        "{ \"status\": \"invalid_token\", \"openid-configuration\": "
            + quote(discoveryUrl)
            + ", \"scope\": "
            + quote(scope)
            + " }";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static void expect(String in, int at, char c, String what) {
    if (at >= in.length() || in.charAt(at) != c) {
      throw malformed("expected " + what);
    }
  }

  private static boolean alpha(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** RFC 7628: value = *(VCHAR / SP / HTAB / CR / LF). */
  private static boolean valueChar(int c) {
    return (c >= 0x21 && c <= 0x7e) || c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /** RFC 6750 b64token: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/", then "=" padding. */
  private static boolean b64token(int c) {
    return alpha(c) || (c >= '0' && c <= '9') || "-._~+/=".indexOf(c) >= 0;
  }

  /** Never quotes the message: it may hold a token. */
  private static ProtocolViolation malformed(String why) {
    return new ProtocolViolation("malformed OAUTHBEARER message: " + why);
  }
}
