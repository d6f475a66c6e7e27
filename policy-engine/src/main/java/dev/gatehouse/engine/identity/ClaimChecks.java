package dev.gatehouse.engine.identity;

import static dev.gatehouse.engine.identity.AuthenticationException.Reason.EXPIRED;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.MALFORMED;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.MISSING_SUBJECT;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.NOT_YET_VALID;
import static dev.gatehouse.engine.identity.AuthenticationException.Reason.WRONG_AUDIENCE;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the claims of a token whose signature has been verified, and maps them to a {@link
 * Principal} as the issuer's configuration says.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7519#section-4.1">RFC 7519 §4.1</a>
 */
final class ClaimChecks {

  private static final long MIN_EPOCH_SECOND = -62135596800L;
  private static final long MAX_EPOCH_SECOND = 253402300799L;

  private final TrustedIssuer issuer;
  private final Clock clock;

  ClaimChecks(TrustedIssuer issuer, Clock clock) {
    this.issuer = issuer;
    this.clock = clock;
  }

  Principal principal(Map<String, Object> claims) throws AuthenticationException {
    Instant now = clock.instant();
    Instant expiresAt = instant(claims, "exp");
    if (expiresAt == null) {
      throw new AuthenticationException(MALFORMED, "token has no expiry (`exp`)");
    }
    if (!now.isBefore(expiresAt.plus(issuer.clockSkew()))) {
      throw new AuthenticationException(EXPIRED, "token expired at " + expiresAt);
    }
    Instant notBefore = instant(claims, "nbf");
    if (notBefore != null && now.isBefore(notBefore.minus(issuer.clockSkew()))) {
      throw new AuthenticationException(NOT_YET_VALID, "token is not valid before " + notBefore);
    }
    Instant issuedAt = instant(claims, "iat");
    if (issuedAt != null && now.isBefore(issuedAt.minus(issuer.clockSkew()))) {
      throw new AuthenticationException(
          NOT_YET_VALID, "token claims to be issued in the future, at " + issuedAt);
    }
    checkAudience(claims.get("aud"));
    if (!(claims.get("sub") instanceof String subject) || subject.isBlank()) {
      throw new AuthenticationException(MISSING_SUBJECT, "token names no subject (`sub`)");
    }
    Object workload = issuer.workloadClaim() == null ? null : issuer.workloadClaim().find(claims);
    return new Principal(
        issuer.issuer(),
        subject,
        workload == null ? Principal.Kind.PERSON : Principal.Kind.WORKLOAD,
        groups(claims),
        clientId(claims),
        immutableClaims(claims),
        expiresAt);
  }

  private void checkAudience(Object aud) throws AuthenticationException {
    List<?> audiences =
        aud instanceof String one ? List.of(one) : aud instanceof List<?> many ? many : null;
    if (audiences == null || audiences.isEmpty()) {
      throw new AuthenticationException(WRONG_AUDIENCE, "token names no audience (`aud`)");
    }
    for (Object a : audiences) {
      if (a instanceof String s && issuer.audiences().contains(s)) {
        return;
      }
    }
    throw new AuthenticationException(
        WRONG_AUDIENCE,
        "token is meant for audience `"
            + Text.quote(String.valueOf(audiences.getFirst()))
            + "`, not for this gateway ("
            + String.join(", ", issuer.audiences())
            + ")");
  }

  private Set<String> groups(Map<String, Object> claims) throws AuthenticationException {
    Object value = issuer.groupsClaim().find(claims);
    if (value == null) {
      return Set.of();
    }
    if (value instanceof String one) {
      return Set.of(one);
    }
    if (value instanceof Collection<?> many) {
      Set<String> groups = new LinkedHashSet<>();
      for (Object g : many) {
        if (!(g instanceof String s)) {
          throw new AuthenticationException(
              MALFORMED, "groups claim `" + issuer.groupsClaim().text() + "` holds a non-string");
        }
        groups.add(s);
      }
      return groups;
    }
    throw new AuthenticationException(
        MALFORMED, "groups claim `" + issuer.groupsClaim().text() + "` is not a list of strings");
  }

  private String clientId(Map<String, Object> claims) throws AuthenticationException {
    Object value = issuer.clientIdClaim().find(claims);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new AuthenticationException(
        MALFORMED, "client id claim `" + issuer.clientIdClaim().text() + "` is not a string");
  }

  private static Instant instant(Map<String, Object> claims, String name)
      throws AuthenticationException {
    Object value = claims.get(name);
    if (value == null) {
      return null;
    }
    // Bounded to years 0001..9999 so that adding the clock skew can never overflow.
    if (value instanceof Number n
        && Double.isFinite(n.doubleValue())
        && n.doubleValue() >= MIN_EPOCH_SECOND
        && n.doubleValue() <= MAX_EPOCH_SECOND) {
      return Instant.ofEpochSecond(n.longValue());
    }
    throw new AuthenticationException(MALFORMED, "claim `" + name + "` is not a time in seconds");
  }

  /** A deep, unmodifiable copy; JSON nulls are dropped, since a null claim states nothing. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> immutableClaims(Map<String, Object> claims) {
    return (Map<String, Object>) freeze(claims);
  }

  private static Object freeze(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            if (v != null) {
              copy.put(String.valueOf(k), freeze(v));
            }
          });
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof Collection<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (Object v : list) {
        if (v != null) {
          copy.add(freeze(v));
        }
      }
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
