package dev.gatehouse.mcp.tools;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON Schema fragments for tool inputs and outputs. */
final class Schemas {

  private Schemas() {}

  static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    schema.put("required", required);
    schema.put("additionalProperties", false);
    return schema;
  }

  static Map<String, Object> openObject(Map<String, Object> properties, List<String> required) {
    Map<String, Object> schema = object(properties, required);
    schema.remove("additionalProperties");
    return schema;
  }

  static Map<String, Object> string(String description) {
    return Map.of("type", "string", "description", description);
  }

  static Map<String, Object> type(String type) {
    return Map.of("type", type);
  }

  static Map<String, Object> arrayOf(Map<String, Object> items) {
    return Map.of("type", "array", "items", items);
  }

  static Map<String, Object> nullable(String type) {
    return Map.of("type", List.of(type, "null"));
  }

  /** {@code decision}: the effect and the rules that produced it. */
  static Map<String, Object> decision() {
    return object(
        props(
            "effect",
                Map.of("type", "string", "enum", List.of("ALLOW", "REQUIRE_APPROVAL", "DENY")),
            "rule_ids", arrayOf(type("string"))),
        List.of("effect", "rule_ids"));
  }

  /**
   * A tool's output schema: the success properties, plus the {@code error} shape every refusal and
   * failure uses, so that a client validating structured content (the TypeScript SDK does, for
   * error results too) accepts both. A result is either a success (its required properties) or an
   * error (with {@code error}).
   */
  static Map<String, Object> result(Map<String, Object> success, List<String> required) {
    Map<String, Object> properties = new LinkedHashMap<>(success);
    properties.putIfAbsent("decision", decision());
    properties.putIfAbsent("audit_id", type("string"));
    properties.put("error", error());
    Map<String, Object> schema = object(properties, List.of());
    schema.remove("required");
    schema.put(
        "anyOf", List.of(Map.of("required", required), Map.of("required", List.of("error"))));
    return schema;
  }

  /** {@code error}: why a call produced no result, and what the caller can do. */
  static Map<String, Object> error() {
    // Open on purpose: a kind may carry details beyond these (each listed one is typed).
    return openObject(
        props(
            "kind",
                Map.of(
                    "type",
                    "string",
                    "enum",
                    List.of(
                        "denied",
                        "approval_pending",
                        "approval_refused",
                        "sql_error",
                        "unavailable",
                        "invalid_arguments")),
            "message", type("string"),
            "rule_ids", arrayOf(type("string")),
            "sqlstate", type("string"),
            "approval_id", type("string"),
            "expires_at", type("string")),
        List.of("kind", "message"));
  }

  static Map<String, Object> props(Object... pairs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], pairs[i + 1]);
    }
    return out;
  }
}
