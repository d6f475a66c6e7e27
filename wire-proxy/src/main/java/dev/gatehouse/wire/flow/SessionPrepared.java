package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.PreparedSql;
import dev.gatehouse.engine.sql.StatementInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The statements a session prepared with SQL PREPARE through the gateway: an EXECUTE of one is
 * analysed as the statement it runs ({@code AnalysisContext#prepared}). PostgreSQL keeps SQL and
 * protocol prepared statements in one namespace, so a protocol Parse or Close of a name forgets it
 * here too: otherwise a Close and a Parse under the same name would run another statement than the
 * one an EXECUTE was judged as.
 */
final class SessionPrepared {

  private final Map<String, String> statements = new HashMap<>();

  /** Name to prepared statement, for the analysis of the next statement. */
  Map<String, String> statements() {
    return Map.copyOf(statements);
  }

  /** After a message ran without error: what it prepared, deallocated or discarded. */
  void applied(Verdict verdict) {
    for (StatementInfo statement : verdict.analysis().statements()) {
      switch (statement.commandTag()) {
        case "PREPARE" -> {
          PreparedSql.Prepared p = PreparedSql.prepared(statement.sql());
          if (p != null) {
            statements.put(p.name(), p.statement());
          }
        }
        case "DEALLOCATE" -> {
          String name = PreparedSql.deallocated(statement.sql());
          if (PreparedSql.ALL.equals(name)) {
            statements.clear();
          } else if (name != null) {
            statements.remove(name);
          }
        }
        case "DISCARD ALL" -> statements.clear();
        default -> {}
      }
    }
  }

  /**
   * A message failed: PREPARE and DEALLOCATE are not undone by its error (they are not
   * transactional), so a name a statement of it prepared or deallocated may be either; the gateway
   * forgets it, and an EXECUTE of it is refused as unknown (red-team round 14: a PREPARE in a
   * failed message ran, and EXECUTE was judged by the statement it replaced).
   */
  void notApplied(Verdict verdict, boolean discardMayHaveRun) {
    for (StatementInfo statement : verdict.analysis().statements()) {
      switch (statement.commandTag()) {
        case "PREPARE" -> {
          PreparedSql.Prepared p = PreparedSql.prepared(statement.sql());
          if (p == null) {
            statements.clear();
          } else {
            statements.remove(p.name());
          }
        }
        case "DEALLOCATE" -> {
          String name = PreparedSql.deallocated(statement.sql());
          if (name == null || PreparedSql.ALL.equals(name)) {
            statements.clear();
          } else {
            statements.remove(name);
          }
        }
        case "DISCARD ALL" -> {
          if (discardMayHaveRun) {
            statements.clear();
          }
        }
        default -> {}
      }
    }
  }

  /** True when {@code name} is a statement prepared with SQL PREPARE. */
  boolean holds(String name) {
    return statements.containsKey(name);
  }

  /** The text of the statement SQL PREPARE gave {@code name}, or null. */
  String statement(String name) {
    return statements.get(name);
  }

  /** A protocol Close of {@code name} that PostgreSQL skipped: its SQL statement is there still. */
  void notClosed(String name, String statement) {
    statements.putIfAbsent(name, statement);
  }

  /** A protocol Parse or Close of a statement named {@code name}. */
  void protocolStatement(String name) {
    statements.remove(name);
  }

  /**
   * Why {@code statement}, an EXECUTE prepared with the protocol earlier, may not run now: the SQL
   * statement it executes was prepared again (or deallocated) since it was judged. Null when it may
   * run.
   */
  String reprepared(PreparedStatement statement) {
    for (StatementInfo s : statement.verdict().analysis().statements()) {
      PreparedSql.Executed executed =
          s.commandTag().equals("EXECUTE") ? PreparedSql.executed(s.sql()) : null;
      if (executed != null
          && !Objects.equals(
              statement.prepared.get(executed.name()), statements.get(executed.name()))) {
        return "permission denied by gatehouse: statement `"
            + executed.name()
            + "` was prepared again or deallocated after this EXECUTE was prepared, and the"
            + " EXECUTE was judged with the statement prepared then; nothing was run. Prepare the"
            + " EXECUTE again";
      }
    }
    return null;
  }
}
