package dev.gatehouse.gateway.config;

import dev.gatehouse.engine.policy.yaml.PolicyException;

/** A problem in the gateway's config file, naming the file, line and field on one line. */
public final class ConfigException extends RuntimeException {

  private final java.util.List<String> problems;

  public ConfigException(String file, int line, String field, String problem) {
    super(format(file, line, field, problem));
    this.problems = java.util.List.of(getMessage());
  }

  private ConfigException(java.util.List<String> problems) {
    super(problems.get(0));
    this.problems = java.util.List.copyOf(problems);
  }

  /** Every problem of the file, one line each; the message is the first. */
  public java.util.List<String> problems() {
    return problems;
  }

  /** Every problem found by the shared YAML reader, worded for the gateway's config file. */
  static ConfigException from(PolicyException e) {
    return new ConfigException(e.problems().stream().map(p -> one(p).getMessage()).toList());
  }

  private static ConfigException one(PolicyException e) {
    String prefix = prefix(e.file(), e.line(), e.field());
    String message = e.getMessage();
    String problem = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    return new ConfigException(
        e.file(),
        e.line(),
        e.field(),
        problem.replace("the policy file", "the config file").replace("policy file", "config"));
  }

  private static String prefix(String file, int line, String field) {
    StringBuilder out = new StringBuilder("policy `").append(file).append('`');
    if (line > 0) {
      out.append(" line ").append(line);
    }
    if (field != null && !field.isEmpty()) {
      out.append(", field `").append(field).append('`');
    }
    return out.append(": ").toString();
  }

  private static String format(String file, int line, String field, String problem) {
    StringBuilder out = new StringBuilder("config `").append(file).append('`');
    if (line > 0) {
      out.append(" line ").append(line);
    }
    if (field != null && !field.isEmpty()) {
      out.append(", field `").append(field).append('`');
    }
    return out.append(": ").append(problem).toString();
  }
}
