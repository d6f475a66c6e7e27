package dev.gatehouse.engine.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A verified identity: who sent a statement, as the trusted issuer vouched for it.
 *
 * @param issuer the {@code iss} of the token
 * @param subject the {@code sub} of the token
 * @param kind a person or a workload (CI job, batch job, service account)
 * @param groups the groups claim, as mapped by the issuer's configuration
 * @param clientId the client id claim, or null
 * @param claims every claim of the token (nested claims stay nested maps), never the token itself
 * @param expiresAt when the token stops being valid
 */
public record Principal(
    String issuer,
    String subject,
    Kind kind,
    Set<String> groups,
    String clientId,
    Map<String, Object> claims,
    Instant expiresAt) {

  /** Whether a human or a machine holds the identity. */
  public enum Kind {
    PERSON,
    WORKLOAD
  }

  public Principal {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(kind, "kind");
    groups = Set.copyOf(groups);
    claims = Map.copyOf(claims);
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /**
   * The claim at a dotted path ({@code repository}, {@code ci.ref}), or null; nested maps are
   * walked one segment at a time.
   */
  public Object claim(String path) {
    Object current = claims;
    for (String segment : path.split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(segment);
    }
    return current;
  }

  /** The claim at {@code path} as strings: a single value, a list, or empty. */
  public List<String> claimValues(String path) {
    Object value = claim(path);
    if (value == null) {
      return List.of();
    }
    if (value instanceof java.util.Collection<?> c) {
      return c.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value));
  }

  public boolean isExpired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** A short label for logs and messages: {@code subject (issuer)}. */
  public String label() {
    return subject + " (" + issuer + ")";
  }

  /**
   * The one identity check: the same issuer and the same subject are the same identity, whatever
   * the groups or claims of the moment.
   */
  public boolean is(String otherIssuer, String otherSubject) {
    return issuer.equals(otherIssuer) && subject.equals(otherSubject);
  }

  /** True when {@code other} is the same identity (see {@link #is}). */
  public boolean sameIdentity(Principal other) {
    return is(other.issuer(), other.subject());
  }
}
