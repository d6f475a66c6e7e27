package dev.gatehouse.mcp.testgate;

import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.engine.sql.SqlAnalyzer;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test double of the SQL analyser: classifies by leading keyword and spots writes to {@code app.*}
 * tables. Good for the simple statements the MCP tests send, nothing more.
 */
public final class KeywordAnalyzer implements SqlAnalyzer {

  private static final Pattern WRITE_TARGET =
      Pattern.compile("(?i)^(?:insert\\s+into|update|delete\\s+from)\\s+([a-z_.]+)");

  @Override
  public Analysis analyze(String sql, AnalysisContext context) {
    List<StatementInfo> statements = new ArrayList<>();
    for (String part : sql.split(";")) {
      String s = part.strip();
      if (!s.isEmpty()) {
        statements.add(statement(s));
      }
    }
    return new Analysis(sql, statements, sql.replaceAll("'[^']*'|\\d+", "?"));
  }

  private static StatementInfo statement(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    String keyword = lower.split("\\s+", 2)[0];
    StatementClass cls =
        switch (keyword) {
          case "select", "with", "table", "values", "show" -> StatementClass.READ;
          case "explain" ->
              lower.contains("analyze") ? StatementClass.UNKNOWN : StatementClass.READ;
          case "insert", "update", "delete" -> StatementClass.WRITE;
          case "drop", "create", "alter", "truncate" -> StatementClass.DDL;
          default -> StatementClass.UNKNOWN;
        };
    Set<RiskFlag> flags = EnumSet.noneOf(RiskFlag.class);
    Set<TableRef> written = Set.of();
    if (cls == StatementClass.WRITE) {
      Matcher m = WRITE_TARGET.matcher(s);
      written = m.find() ? Set.of(TableRef.of(m.group(1).toLowerCase(Locale.ROOT))) : Set.of();
      if (!keyword.equals("insert") && !lower.contains(" where ")) {
        flags.add(RiskFlag.NO_WHERE);
      }
    }
    if (lower.contains("pg_sleep") || lower.contains("pg_read_file")) {
      flags.add(RiskFlag.DANGEROUS_FUNCTION);
    }
    return new StatementInfo(
        s,
        keyword.toUpperCase(Locale.ROOT),
        cls,
        Set.of(),
        written,
        Set.of(),
        Map.of(),
        flags,
        List.of());
  }
}
