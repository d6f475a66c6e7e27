package dev.gatehouse.engine.policy.yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, validated access to one YAML mapping: each getter checks type and presence and fails with
 * the file, line and field; {@link #done()} rejects fields nobody asked for (typos). Strings may
 * refer to {@code ${env:NAME}} and {@code ${file:/path}}.
 */
public final class YamlObject {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final String file;
  private final YamlNode.Mapping map;
  private final Function<String, String> env;
  private final Problems problems;

  /** The root mapping of a file, with a fresh record of its problems. */
  public YamlObject(String file, YamlNode node, Function<String, String> env) {
    this(file, node, env, new Problems());
  }

  private YamlObject(String file, YamlNode node, Function<String, String> env, Problems problems) {
    this.file = file;
    if (!(node instanceof YamlNode.Mapping m)) {
      throw error(node, "expected a mapping, found " + node.kind());
    }
    this.map = m;
    this.env = env;
    this.problems = problems;
  }

  /**
   * The problems of the whole file: a getter whose value is malformed records it here and returns
   * its fallback, and an unknown field is recorded, so reading goes on to the next problem.
   */
  public Problems problems() {
    return problems;
  }

  public int line() {
    return map.line();
  }

  public String path() {
    return map.path();
  }

  public boolean has(String key) {
    return map.entries().containsKey(key);
  }

  public Set<String> keys() {
    return map.entries().keySet();
  }

  /** A required string. */
  public String string(String key) {
    YamlNode node = required(key);
    return text(node);
  }

  public String string(String key, String fallback) {
    YamlNode node = optional(key);
    return node == null ? fallback : text(node);
  }

  /** A secret: must be a {@code ${env:..}} or {@code ${file:..}} reference, never a literal. */
  public String secret(String key) {
    YamlNode node = required(key);
    if (!(node instanceof YamlNode.Scalar s) || s.text() == null) {
      throw error(node, "expected `${env:NAME}` or `${file:/path}`, found " + node.kind());
    }
    if (!REFERENCE.matcher(s.text()).find()) {
      throw error(
          node,
          "secrets never stand in the policy file; write `${env:NAME}` or `${file:/path}` instead");
    }
    return text(node);
  }

  public int integer(String key, int fallback) {
    YamlNode node = optional(key);
    if (node == null) {
      return fallback;
    }
    String t = text(node);
    try {
      return Integer.parseInt(t.strip());
    } catch (NumberFormatException e) {
      problems.add(error(node, "expected a whole number, found `" + t + "`"));
      return fallback;
    }
  }

  public long longValue(String key, long fallback) {
    YamlNode node = optional(key);
    if (node == null) {
      return fallback;
    }
    String t = text(node);
    try {
      return Long.parseLong(t.strip());
    } catch (NumberFormatException e) {
      problems.add(error(node, "expected a whole number, found `" + t + "`"));
      return fallback;
    }
  }

  public boolean bool(String key, boolean fallback) {
    YamlNode node = optional(key);
    if (node == null) {
      return fallback;
    }
    String t = text(node);
    return switch (t) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problems.add(error(node, "expected `true` or `false`, found `" + t + "`"));
        yield fallback;
      }
    };
  }

  /** A duration such as {@code 30s}, {@code 15m}, {@code 2h}, {@code 500ms}. */
  public Duration duration(String key, Duration fallback) {
    YamlNode node = optional(key);
    if (node == null) {
      return fallback;
    }
    String t = text(node).strip();
    Matcher m = DURATION.matcher(t);
    if (!m.matches()) {
      problems.add(
          error(node, "expected a duration such as `30s`, `15m` or `2h`, found `" + t + "`"));
      return fallback;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** A list of strings (a single string counts as a list of one); empty when absent. */
  public List<String> strings(String key) {
    YamlNode node = optional(key);
    if (node == null) {
      return List.of();
    }
    if (node instanceof YamlNode.Scalar) {
      return List.of(text(node));
    }
    if (!(node instanceof YamlNode.Sequence seq)) {
      throw error(node, "expected a list of text, found " + node.kind());
    }
    List<String> out = new ArrayList<>();
    for (YamlNode item : seq.items()) {
      out.add(text(item));
    }
    return List.copyOf(out);
  }

  /**
   * A list of values parsed one by one; {@code parse} may throw {@link IllegalArgumentException}.
   */
  public <T> List<T> enums(String key, Function<String, T> parse, String expected) {
    YamlNode node = optional(key);
    if (node == null) {
      return List.of();
    }
    List<YamlNode> items = node instanceof YamlNode.Sequence seq ? seq.items() : List.of(node);
    List<T> out = new ArrayList<>();
    for (YamlNode item : items) {
      String t = text(item);
      try {
        out.add(parse.apply(t));
      } catch (IllegalArgumentException e) {
        problems.add(error(item, "unknown value `" + t + "`; expected one of " + expected));
      }
    }
    return List.copyOf(out);
  }

  public YamlObject object(String key) {
    return new YamlObject(file, required(key), env, problems);
  }

  public YamlObject object(String key, boolean optional) {
    YamlNode node = optional(key);
    return node == null ? null : new YamlObject(file, node, env, problems);
  }

  /** A list of mappings; empty when absent. */
  public List<YamlObject> objects(String key) {
    YamlNode node = optional(key);
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof YamlNode.Sequence seq)) {
      throw error(node, "expected a list of mappings, found " + node.kind());
    }
    List<YamlObject> out = new ArrayList<>();
    for (YamlNode item : seq.items()) {
      out.add(new YamlObject(file, item, env, problems));
    }
    return out;
  }

  /** A mapping of names to mappings; empty when absent. */
  public Map<String, YamlObject> objectMap(String key) {
    YamlNode node = optional(key);
    if (node == null) {
      return Map.of();
    }
    if (!(node instanceof YamlNode.Mapping m)) {
      throw error(node, "expected a mapping of names, found " + node.kind());
    }
    Map<String, YamlObject> out = new LinkedHashMap<>();
    m.entries().forEach((k, v) -> out.put(k, new YamlObject(file, v, env, problems)));
    return out;
  }

  /**
   * Records every field not named in {@code expected} (written as {@code `a`, `b`}) as a problem:
   * an unknown field is most often a typo.
   */
  public void fields(String expected) {
    Set<String> names = new HashSet<>();
    Matcher m = Pattern.compile("`([^`]+)`").matcher(expected);
    while (m.find()) {
      names.add(m.group(1));
    }
    for (Map.Entry<String, YamlNode> e : map.entries().entrySet()) {
      if (!names.contains(e.getKey())) {
        problems.add(
            error(e.getValue(), "unknown field `" + e.getKey() + "`; expected one of " + expected));
      }
    }
  }

  public PolicyException error(String key, String problem) {
    YamlNode node = map.entries().get(key);
    if (node != null) {
      return error(node, problem);
    }
    return new PolicyException(file, map.line(), child(key), problem);
  }

  public PolicyException error(YamlNode node, String problem) {
    return new PolicyException(file, node.line(), node.path(), problem);
  }

  private String child(String key) {
    return map.path().isEmpty() ? key : map.path() + "." + key;
  }

  private YamlNode required(String key) {
    YamlNode node = optional(key);
    if (node == null) {
      throw new PolicyException(file, map.line(), child(key), "missing; this field is required");
    }
    return node;
  }

  private YamlNode optional(String key) {
    YamlNode node = map.entries().get(key);
    if (node instanceof YamlNode.Scalar s && s.text() == null) {
      return null;
    }
    return node;
  }

  private String text(YamlNode node) {
    if (!(node instanceof YamlNode.Scalar s) || s.text() == null) {
      throw error(node, "expected a single value, found " + node.kind());
    }
    return interpolate(node, s.text());
  }

  private String interpolate(YamlNode node, String text) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(2).strip();
      String value;
      if (m.group(1).equals("env")) {
        value = env.apply(name);
        if (value == null) {
          throw error(node, "environment variable `" + name + "` is not set");
        }
      } else {
        try {
          value = java.nio.file.Files.readString(java.nio.file.Path.of(name)).strip();
        } catch (java.io.IOException | RuntimeException e) {
          throw error(node, "cannot read file `" + name + "`");
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
