package dev.gatehouse.mcp.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Reads and checks a tool call's arguments; anything malformed is an invalid-params error. */
final class Arguments {

  private final String tool;
  private final Map<String, Object> values;

  Arguments(String tool, Map<String, Object> values, Set<String> known) {
    this.tool = tool;
    this.values = values == null ? Map.of() : values;
    for (String name : this.values.keySet()) {
      if (!known.contains(name)) {
        throw new InvalidArgumentsException(
            "`" + tool + "` has no argument `" + name + "`; it takes " + String.join(", ", known));
      }
    }
  }

  String requiredText(String name) {
    String value = optionalText(name);
    if (value == null || value.isBlank()) {
      throw new InvalidArgumentsException("`" + tool + "` needs a non-empty `" + name + "`");
    }
    return value;
  }

  String optionalText(String name) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw new InvalidArgumentsException("`" + name + "` must be a string");
    }
    return s;
  }

  Integer optionalPositiveInt(String name) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      long v = n.longValue();
      if (v >= 1 && v <= Integer.MAX_VALUE) {
        return (int) v;
      }
    }
    throw new InvalidArgumentsException(
        "`" + name + "` must be a positive integer, got `" + value + "`");
  }

  int optionalIntBetween(String name, int min, int max, int absent) {
    Object value = values.get(name);
    if (value == null) {
      return absent;
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      long v = n.longValue();
      if (v >= min && v <= max) {
        return (int) v;
      }
    }
    throw new InvalidArgumentsException(
        "`" + name + "` must be an integer from " + min + " to " + max + ", got `" + value + "`");
  }

  boolean optionalBoolean(String name) {
    Object value = values.get(name);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean b)) {
      throw new InvalidArgumentsException("`" + name + "` must be true or false");
    }
    return b;
  }

  /** Parameters as PostgreSQL text; null is refused (approvals bind to the exact values). */
  List<String> params(String name) {
    Object value = values.get(name);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw new InvalidArgumentsException(
          "`" + name + "` must be an array of values for $1, $2, ...");
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object item : list) {
      if (item == null) {
        throw new InvalidArgumentsException(
            "`" + name + "` items must not be null; write NULL in the statement instead");
      } else if (item instanceof String || item instanceof Boolean) {
        out.add(item.toString());
      } else if (item instanceof Number n) {
        out.add(
            n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e15
                ? Long.toString(n.longValue())
                : n.toString());
      } else {
        throw new InvalidArgumentsException(
            "`" + name + "` items must be strings, numbers, booleans or null");
      }
    }
    return out;
  }

  UUID optionalUuid(String name) {
    String value = optionalText(name);
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value.trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentsException(
          "`" + name + "` must be an approval id, got `" + value + "`");
    }
  }
}
