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

  static Map<String, Object> props(Object... pairs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], pairs[i + 1]);
    }
    return out;
  }
}
