package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.List;
import java.util.Set;

/**
 * The {@code when} of a deny or approval rule: a statement matches when it is in one of the
 * databases (if any are listed) and any one of the other conditions holds.
 */
public record StatementMatch(
    List<String> databases,
    Set<StatementClass> classes,
    Set<RiskFlag> riskFlags,
    List<Glob> reads,
    List<Glob> writes,
    List<Glob> functions,
    List<String> commands) {

  public StatementMatch {
    databases = List.copyOf(databases);
    classes = Set.copyOf(classes);
    riskFlags = Set.copyOf(riskFlags);
    reads = List.copyOf(reads);
    writes = List.copyOf(writes);
    functions = List.copyOf(functions);
    commands = List.copyOf(commands);
  }

  /** Matches every statement. */
  public static final StatementMatch ALWAYS =
      new StatementMatch(List.of(), Set.of(), Set.of(), List.of(), List.of(), List.of(), List.of());

  public boolean isAlways() {
    return classes.isEmpty()
        && riskFlags.isEmpty()
        && reads.isEmpty()
        && writes.isEmpty()
        && functions.isEmpty()
        && commands.isEmpty();
  }

  public boolean matches(StatementInfo s, String database) {
    return reason(s, database) != null;
  }

  /** Why {@code s} matches, readable; null when it does not. */
  public String reason(StatementInfo s, String database) {
    if (!databases.isEmpty() && !databases.contains(database)) {
      return null;
    }
    if (isAlways()) {
      return "the rule applies to every statement";
    }
    if (classes.contains(s.statementClass())) {
      return Explain.kind(s.statementClass());
    }
    for (RiskFlag f : s.riskFlags()) {
      if (riskFlags.contains(f)) {
        return Explain.flag(f);
      }
    }
    for (TableRef t : s.tablesRead()) {
      if (Glob.any(reads, t.qualified())) {
        return "it reads `" + t + "`";
      }
    }
    for (TableRef t : s.tablesWritten()) {
      if (Glob.any(writes, t.qualified())) {
        return "it writes `" + t + "`";
      }
    }
    for (String f : s.functions()) {
      if (Glob.any(functions, f)) {
        return "it calls `" + f + "`";
      }
    }
    return commands.contains(s.commandTag()) ? "it is a `" + s.commandTag() + "` statement" : null;
  }
}
