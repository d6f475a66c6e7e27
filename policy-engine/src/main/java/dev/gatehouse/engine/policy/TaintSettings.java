package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.List;
import java.util.Set;

/**
 * The {@code taint} section: free-text columns anyone able to write them can fill with
 * instructions, and whose sessions' writes wait for a human once one of them was read.
 *
 * @param untrusted {@code schema.table.column} patterns of untrusted columns; empty turns taint off
 * @param groups the principals it applies to (any of these groups); empty means every principal
 * @param channels the front ends it applies to
 */
public record TaintSettings(List<Glob> untrusted, Set<String> groups, Set<Channel> channels) {

  /** Taint switched off. */
  public static final TaintSettings NONE = new TaintSettings(List.of(), Set.of(), Set.of());

  public TaintSettings {
    untrusted = List.copyOf(untrusted);
    groups = Set.copyOf(groups);
    channels = Set.copyOf(channels);
  }

  /** True when a session of {@code principal} through {@code channel} is tracked. */
  public boolean appliesTo(Principal principal, Channel channel) {
    if (untrusted.isEmpty() || !channels.contains(channel)) {
      return false;
    }
    return groups.isEmpty() || principal.groups().stream().anyMatch(groups::contains);
  }

  /** True when {@code column} is marked untrusted, or is a whole row that may hold one. */
  public boolean untrusted(ColumnRef column) {
    return untrustedName(column) != null;
  }

  /**
   * The name to report for {@code column} when it is untrusted: the column itself, or for a whole
   * row or {@code *} (lineage without a catalog) the pattern it may contain; null when trusted.
   */
  public String untrustedName(ColumnRef column) {
    if (!column.column().equals("*")) {
      return Glob.any(untrusted, column.qualified()) ? column.qualified() : null;
    }
    for (Glob g : untrusted) {
      if (tableOf(g).matches(column.table().qualified())) {
        return g.isLiteral() ? g.pattern() : column.table().qualified() + ".*";
      }
    }
    return null;
  }

  /** True when some untrusted pattern may name a column of {@code table}. */
  public boolean mayHoldUntrusted(TableRef table) {
    return untrusted.stream().anyMatch(g -> tableOf(g).matches(table.qualified()));
  }

  private static Glob tableOf(Glob column) {
    int dot = column.pattern().lastIndexOf('.');
    return Glob.of(dot < 0 ? "*" : column.pattern().substring(0, dot));
  }
}
