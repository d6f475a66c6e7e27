package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.identity.Principal;
import java.util.List;

/** Who may approve: members of any listed group, or any listed subject. */
public record Approvers(List<String> groups, List<String> subjects) {

  public static final Approvers NOBODY = new Approvers(List.of(), List.of());

  public Approvers {
    groups = List.copyOf(groups);
    subjects = List.copyOf(subjects);
  }

  public boolean includes(Principal p) {
    return subjects.contains(p.subject()) || groups.stream().anyMatch(p.groups()::contains);
  }

  public boolean isEmpty() {
    return groups.isEmpty() && subjects.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    if (!groups.isEmpty()) {
      out.append("a member of ").append(Explain.list(groups));
    }
    if (!subjects.isEmpty()) {
      out.append(out.isEmpty() ? "" : " or ").append(Explain.list(subjects));
    }
    return out.isEmpty() ? "nobody" : out.toString();
  }
}
