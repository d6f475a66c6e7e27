package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class McpRowCheckTest {

  static final Map<String, String> ROW = Map.of("id", "1", "full_name", "Alice Archer");

  static McpSchema.CallToolResult result(String text, Object structured, boolean error) {
    McpSchema.CallToolResult.Builder b =
        McpSchema.CallToolResult.builder()
            .content(List.of(new McpSchema.TextContent(text)))
            .isError(error);
    if (structured != null) {
      b.structuredContent(structured);
    }
    return b.build();
  }

  @Test
  void referenceServerAnswersAnArrayOfRowObjects() {
    String text = "[\n  {\n    \"id\": \"1\",\n    \"full_name\": \"Alice Archer\"\n  }\n]";
    assertThat(McpRowCheck.jsonRows(result(text, null, false), ROW)).isNull();
  }

  @Test
  void dbhubAnswersRowsInsideData() {
    String text =
        "{\"success\": true, \"data\": {\"rows\": [{\"id\": 1, \"full_name\": \"Alice Archer\"}],"
            + " \"count\": 1}}";
    assertThat(McpRowCheck.jsonRows(result(text, null, false), ROW)).isNull();
  }

  @Test
  void wrongEmptyOrErrorResultsAreNamed() {
    assertThat(McpRowCheck.jsonRows(result("[]", null, false), ROW)).contains("expected one row");
    assertThat(
            McpRowCheck.jsonRows(
                result("[{\"id\": \"1\", \"full_name\": \"Bob\"}]", null, false), ROW))
        .contains("expected full_name = Alice Archer");
    assertThat(McpRowCheck.jsonRows(result("permission denied", null, true), ROW))
        .contains("answered with an error");
    assertThat(McpRowCheck.jsonRows(result("not json", null, false), ROW)).contains("not JSON");
  }

  @Test
  void gatehouseAnswersStructuredRows() {
    List<String> row = List.of("1", "Alice Archer");
    Map<String, Object> ok = Map.of("rows", List.of(row), "row_count", 1);
    assertThat(McpRowCheck.gatehouse(result("table", ok, false), row)).isNull();
    Map<String, Object> none = Map.of("rows", List.of(), "row_count", 0);
    assertThat(McpRowCheck.gatehouse(result("table", none, false), row)).contains("expected rows");
    assertThat(McpRowCheck.gatehouse(result("table", null, false), row))
        .contains("no structured content");
  }

  @Test
  void verdictSaysMetOrMissedWithTheMargin() {
    assertThat(McpSection.verdict(400_000, 500_000))
        .isEqualTo("**met**: 0.40 ms vs 0.50 ms, below by 0.10 ms (20% of the peer's median)");
    assertThat(McpSection.verdict(1_500_000, 500_000))
        .isEqualTo("**missed**: 1.50 ms vs 0.50 ms, above by 1.00 ms (200% of the peer's median)");
  }
}
