package dev.gatehouse.engine.policy.yaml;

import java.util.LinkedHashMap;
import java.util.List;

/** A YAML value with the line it starts on and its path from the root, for error messages. */
public sealed interface YamlNode {

  int line();

  /** The dotted path of this value, e.g. {@code rules[0].match.groups}. */
  String path();

  /** A short name of the kind of value, for "expected ..., found ..." messages. */
  String kind();

  /** A mapping; keys keep their order. */
  record Mapping(int line, String path, LinkedHashMap<String, YamlNode> entries)
      implements YamlNode {
    @Override
    public String kind() {
      return "a mapping";
    }
  }

  /** A sequence. */
  record Sequence(int line, String path, List<YamlNode> items) implements YamlNode {
    @Override
    public String kind() {
      return "a list";
    }
  }

  /**
   * A scalar; {@code text} is null for YAML null.
   *
   * @param quoted true for a string, false for a number, boolean or null
   */
  record Scalar(int line, String path, String text, boolean quoted) implements YamlNode {
    @Override
    public String kind() {
      return text == null ? "nothing" : quoted ? "text `" + text + "`" : "`" + text + "`";
    }
  }
}
