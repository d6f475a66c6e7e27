package dev.gatehouse.bench;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Whether one {@code query} result holds exactly the expected row, per server's result shape: a
 * benchmark that timed errors or empty results would be worthless.
 */
final class McpRowCheck {

  private McpRowCheck() {}

  /** Gatehouse: structured content {@code {"rows": [["1", "Alice Archer"]], "row_count": 1}}. */
  static String gatehouse(McpSchema.CallToolResult result, List<String> expected) {
    String error = error(result);
    if (error != null) {
      return error;
    }
    if (!(result.structuredContent() instanceof Map<?, ?> structured)) {
      return "no structured content: " + text(result);
    }
    Object rows = structured.get("rows");
    if (!List.of(expected).equals(rows)) {
      return "expected rows [" + expected + "], got " + rows;
    }
    return null;
  }

  /**
   * Servers that answer with the rows as JSON text: an array of row objects (the reference server)
   * or an object with {@code rows} at any depth (DBHub's {@code {"data": {"rows": []}}}).
   */
  static String jsonRows(McpSchema.CallToolResult result, Map<String, String> expected) {
    String error = error(result);
    if (error != null) {
      return error;
    }
    JsonNode root;
    try {
      root = PartResult.JSON.readTree(text(result));
    } catch (RuntimeException e) {
      return "the result is not JSON: " + text(result);
    }
    JsonNode rows = root.isArray() ? root : root.findValue("rows");
    if (rows == null || !rows.isArray() || rows.size() != 1) {
      return "expected one row, got " + text(result);
    }
    for (Map.Entry<String, String> e : expected.entrySet()) {
      JsonNode cell = rows.get(0).get(e.getKey());
      if (cell == null || !e.getValue().equals(cell.asString())) {
        return "expected " + e.getKey() + " = " + e.getValue() + ", got " + text(result);
      }
    }
    return null;
  }

  /** The text content of a result, joined. */
  static String text(McpSchema.CallToolResult result) {
    List<String> parts = new ArrayList<>();
    for (McpSchema.Content c : result.content()) {
      if (c instanceof McpSchema.TextContent t) {
        parts.add(t.text());
      }
    }
    return String.join("\n", parts);
  }

  private static String error(McpSchema.CallToolResult result) {
    if (Boolean.TRUE.equals(result.isError())) {
      return "the server answered with an error: " + text(result);
    }
    return null;
  }
}
