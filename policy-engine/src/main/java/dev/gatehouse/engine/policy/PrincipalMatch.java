package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.identity.Principal;
import java.util.List;
import java.util.Map;

/**
 * Which principals a rule applies to. Every condition given must hold; within one condition any
 * listed value suffices. Claims are matched by dotted path, values by glob.
 */
public record PrincipalMatch(
    List<String> issuers,
    List<Glob> subjects,
    List<String> groups,
    List<String> clientIds,
    Principal.Kind kind,
    Map<String, List<Glob>> claims) {

  public PrincipalMatch {
    issuers = List.copyOf(issuers);
    subjects = List.copyOf(subjects);
    groups = List.copyOf(groups);
    clientIds = List.copyOf(clientIds);
    claims = Map.copyOf(claims);
  }

  public boolean matches(Principal p) {
    if (!issuers.isEmpty() && !issuers.contains(p.issuer())) {
      return false;
    }
    if (!subjects.isEmpty() && !Glob.any(subjects, p.subject())) {
      return false;
    }
    if (!groups.isEmpty() && groups.stream().noneMatch(p.groups()::contains)) {
      return false;
    }
    if (!clientIds.isEmpty() && (p.clientId() == null || !clientIds.contains(p.clientId()))) {
      return false;
    }
    if (kind != null && kind != p.kind()) {
      return false;
    }
    for (Map.Entry<String, List<Glob>> claim : claims.entrySet()) {
      List<String> values = p.claimValues(claim.getKey());
      if (values.stream().noneMatch(v -> Glob.any(claim.getValue(), v))) {
        return false;
      }
    }
    return true;
  }
}
