package dev.gatehouse.wire.testgate;

import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.SqlAnalyzer;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test double of {@link SqlAnalyzer}: classifies a message by its first keyword, enough for the
 * wire tests to tell reads, writes and DDL apart until the real analyser is on main.
 */
public final class KeywordAnalyzer implements SqlAnalyzer {

  private static final Pattern SET_SEARCH_PATH =
      Pattern.compile("(?is)^\\s*set\\s+(?:session\\s+)?search_path\\s*(?:to|=)\\s*(.+?);?\\s*$");

  /** The search path the last message was analysed with. */
  public volatile java.util.List<String> lastSearchPath;

  @Override
  public Analysis analyze(String sql, AnalysisContext context) {
    lastSearchPath = context.searchPath();
    String trimmed = sql.strip();
    String first = trimmed.isEmpty() ? "" : trimmed.split("[\\s(;]+")[0].toUpperCase(Locale.ROOT);
    StatementClass kind =
        switch (first) {
          case "SELECT", "WITH", "VALUES", "TABLE", "SHOW", "EXPLAIN", "" -> StatementClass.READ;
          case "INSERT", "UPDATE", "DELETE", "MERGE" -> StatementClass.WRITE;
          case "COPY" ->
              trimmed.toLowerCase(Locale.ROOT).contains("from stdin")
                  ? StatementClass.WRITE
                  : StatementClass.READ;
          case "CREATE", "ALTER", "DROP", "TRUNCATE" -> StatementClass.DDL;
          case "BEGIN", "COMMIT", "ROLLBACK", "END", "START" -> StatementClass.TRANSACTION;
          case "SET", "RESET", "LISTEN", "UNLISTEN" -> StatementClass.SESSION;
          default -> StatementClass.UNKNOWN;
        };
    Map<String, String> settings = Map.of();
    Matcher m = SET_SEARCH_PATH.matcher(trimmed);
    if (m.matches()) {
      settings = Map.of("search_path", m.group(1).strip());
    }
    StatementInfo info =
        new StatementInfo(
            trimmed, first, kind, Set.of(), Set.of(), Set.of(), settings, Set.of(), List.of());
    return new Analysis(sql, List.of(info), trimmed.toLowerCase(Locale.ROOT));
  }
}
