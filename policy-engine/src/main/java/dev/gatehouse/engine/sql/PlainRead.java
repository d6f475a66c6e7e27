package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.model.BuiltinCatalog;
import java.util.EnumSet;
import java.util.Set;

/**
 * Whether a message is a plain read: SELECTs only, writing nothing, with no risk flag that could
 * mean a side effect, calling only built-in functions that are not volatile (a few volatile ones
 * that change nothing, like {@code random}, excepted). A front end may send a plain read upstream
 * while its audit record commits, as long as no byte of its result reaches the client before the
 * record is durable; anything else waits for the record before it is sent (ADR 0004).
 *
 * <p>What analysis cannot see stays a limit: a view or a rule may call a function with effects.
 * Such a read still has its decision record in the spool, and its results are withheld, whatever
 * the record's fate.
 */
public final class PlainRead {

  /** Flags about the shape of a read, none of which means it could change anything. */
  private static final Set<RiskFlag> HARMLESS =
      EnumSet.of(
          RiskFlag.NO_WHERE,
          RiskFlag.TAUTOLOGICAL_WHERE,
          RiskFlag.MULTIPLE_STATEMENTS,
          RiskFlag.OPAQUE_LINEAGE);

  /** Volatile built-ins that only compute a value: a new one each call, and nothing else. */
  private static final Set<String> VOLATILE_WITHOUT_EFFECTS =
      Set.of("random", "random_normal", "clock_timestamp", "timeofday", "gen_random_uuid");

  private PlainRead() {}

  /** True when every statement of {@code analysis} is a plain read. */
  public static boolean test(Analysis analysis) {
    if (analysis.statements().isEmpty()) {
      return false;
    }
    for (StatementInfo s : analysis.statements()) {
      if (!plain(s)) {
        return false;
      }
    }
    return true;
  }

  private static boolean plain(StatementInfo s) {
    if (s.statementClass() != StatementClass.READ
        || !s.commandTag().equals("SELECT")
        || !s.tablesWritten().isEmpty()
        || !s.settings().isEmpty()
        || !HARMLESS.containsAll(s.riskFlags())) {
      return false;
    }
    for (String f : s.functions()) {
      if (!withoutEffects(f)) {
        return false;
      }
    }
    return true;
  }

  private static boolean withoutEffects(String function) {
    return !function.contains(".")
        && BuiltinCatalog.isBuiltinFunction(function)
        && !BuiltinCatalog.DANGEROUS_FUNCTIONS.contains(function)
        && (!BuiltinCatalog.isVolatileFunction(function)
            || VOLATILE_WITHOUT_EFFECTS.contains(function));
  }
}
