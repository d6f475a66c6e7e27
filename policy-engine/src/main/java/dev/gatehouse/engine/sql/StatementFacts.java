package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.model.ColumnUse;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What analysis learns about one statement while it works; becomes a {@link StatementInfo}. */
final class StatementFacts {

  String commandTag = "UNKNOWN";
  StatementClass statementClass = StatementClass.UNKNOWN;
  final Set<TableRef> tablesRead = new LinkedHashSet<>();
  final Set<TableRef> tablesWritten = new LinkedHashSet<>();
  final Set<String> functions = new LinkedHashSet<>();
  final Map<String, String> settings = new LinkedHashMap<>();
  final Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
  List<OutputColumn> outputColumns = List.of();
  final List<ColumnUse> uses = new java.util.ArrayList<>();

  /**
   * True when something besides the literal-free text shaped the facts (a setting's value, a
   * constant comparison, an option's value, a parse timeout): such an analysis must not be reused
   * for another message with the same fingerprint.
   */
  boolean literalSensitive;

  /** The analyser's bound this statement went past (its parse ran past the deadline), or null. */
  AnalysisLimit exceeded;

  static StatementFacts of(String tag, StatementClass statementClass) {
    StatementFacts facts = new StatementFacts();
    facts.commandTag = tag;
    facts.statementClass = statementClass;
    return facts;
  }

  static StatementFacts failure(RiskFlag flag) {
    StatementFacts facts = of("UNKNOWN", StatementClass.UNKNOWN);
    facts.flags.add(flag);
    return facts;
  }

  /** Takes in what an embedded statement (of COPY, PREPARE, DECLARE, EXPLAIN) does. */
  void absorb(StatementFacts inner) {
    tablesRead.addAll(inner.tablesRead);
    tablesWritten.addAll(inner.tablesWritten);
    functions.addAll(inner.functions);
    settings.putAll(inner.settings);
    flags.addAll(inner.flags);
    uses.addAll(inner.uses);
    literalSensitive |= inner.literalSensitive;
    if (exceeded == null) {
      exceeded = inner.exceeded;
    }
  }

  StatementInfo toInfo(String sql) {
    return new StatementInfo(
        sql,
        commandTag,
        statementClass,
        tablesRead,
        tablesWritten,
        functions,
        settings,
        flags,
        outputColumns,
        uses);
  }
}
