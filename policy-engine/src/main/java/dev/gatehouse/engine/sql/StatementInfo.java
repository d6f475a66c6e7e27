package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.model.ColumnUse;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What analysis found in one statement of a message.
 *
 * @param sql the statement's own text, without the separating semicolon
 * @param commandTag the PostgreSQL command, upper case ({@code SELECT}, {@code DROP TABLE}, {@code
 *     COPY}, {@code SET})
 * @param statementClass the class policy grants by
 * @param tablesRead relations read, schema resolved against the session's search_path
 * @param tablesWritten relations written, including writes hidden in CTEs and {@code SELECT INTO}
 * @param functions every function called anywhere, normalized: lower case, unquoted, and {@code
 *     schema.name} when qualified ({@code pg_catalog.} is dropped)
 * @param settings for SET/RESET/set_config: the setting names (lower case) and their new values
 * @param riskFlags what policy must look at
 * @param outputColumns lineage of each result column, in order; empty for statements with no result
 * @param uses column values used outside the select list and values written (inference control)
 */
public record StatementInfo(
    String sql,
    String commandTag,
    StatementClass statementClass,
    Set<TableRef> tablesRead,
    Set<TableRef> tablesWritten,
    Set<String> functions,
    Map<String, String> settings,
    Set<RiskFlag> riskFlags,
    List<OutputColumn> outputColumns,
    List<ColumnUse> uses) {

  /** A statement without recorded uses (tests and front ends that build their own analysis). */
  public StatementInfo(
      String sql,
      String commandTag,
      StatementClass statementClass,
      Set<TableRef> tablesRead,
      Set<TableRef> tablesWritten,
      Set<String> functions,
      Map<String, String> settings,
      Set<RiskFlag> riskFlags,
      List<OutputColumn> outputColumns) {
    this(
        sql,
        commandTag,
        statementClass,
        tablesRead,
        tablesWritten,
        functions,
        settings,
        riskFlags,
        outputColumns,
        List.of());
  }

  public StatementInfo {
    tablesRead = Set.copyOf(tablesRead);
    tablesWritten = Set.copyOf(tablesWritten);
    functions = Set.copyOf(functions);
    settings = Map.copyOf(settings);
    riskFlags = Set.copyOf(riskFlags);
    outputColumns = List.copyOf(outputColumns);
    uses = List.copyOf(uses);
  }

  /** This statement with another text (a message of the same fingerprint). */
  public StatementInfo withSql(String text) {
    return new StatementInfo(
        text,
        commandTag,
        statementClass,
        tablesRead,
        tablesWritten,
        functions,
        settings,
        riskFlags,
        outputColumns,
        uses);
  }
}
