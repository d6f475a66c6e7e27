package dev.gatehouse.mcp.tools;

import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.mcp.exec.QueryResult;

/**
 * Says which limit cut a result and what the caller can do about it: only the caller's own {@code
 * max_rows} is theirs to raise; the gateway's caps and the policy's row limit belong to the
 * operator.
 */
final class Truncation {

  private Truncation() {}

  /** The note for a cut result, or null when nothing was cut. */
  static String note(
      QueryResult r, int limit, Integer requested, McpServerConfig config, Obligations ob) {
    // A message of several statements: each statement's rows are capped alike.
    if (!r.anyRowsCut() && !r.anyCellsCut()) {
      return null;
    }
    StringBuilder note = new StringBuilder();
    if (r.anyRowsCut()) {
      note.append("only the first ").append(limit).append(" rows were returned, the limit ");
      if (ob.rowLimit() > 0 && limit == ob.rowLimit() && (requested == null || requested > limit)) {
        note.append("the policy sets for you (the operator's)");
      } else if (requested != null && requested == limit) {
        note.append("you asked for with `max_rows`");
        if (limit < maxAllowed(config, ob)) {
          note.append(" (you may ask for up to ").append(maxAllowed(config, ob)).append(')');
        }
      } else if (requested == null && limit == config.defaultRows()) {
        note.append("the gateway uses when `max_rows` is not given (its `default-rows`)");
        if (limit < maxAllowed(config, ob)) {
          note.append("; pass `max_rows` up to ")
              .append(maxAllowed(config, ob))
              .append(" for more");
        }
      } else {
        note.append("the gateway's operator set (`max-rows`)");
      }
      note.append(". Narrow the query (WHERE, aggregates) or page it (ORDER BY with LIMIT/OFFSET)");
    }
    if (r.anyCellsCut()) {
      note.append(note.isEmpty() ? "" : ". ")
          .append("cells longer than ")
          .append(config.maxCellChars())
          .append(" characters were cut (the operator's `max-cell-chars`); select a part of the")
          .append(" value (substr, left) or its length instead");
    }
    return note.toString();
  }

  private static long maxAllowed(McpServerConfig config, Obligations ob) {
    return ob.rowLimit() > 0 ? Math.min(config.maxRows(), ob.rowLimit()) : config.maxRows();
  }
}
