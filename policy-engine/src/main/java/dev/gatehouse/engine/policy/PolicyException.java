package dev.gatehouse.engine.policy;

/**
 * A policy file that cannot be used: the message names the file, the line and the field, and says
 * what to write instead.
 */
public final class PolicyException extends RuntimeException {

  private final String file;
  private final int line;
  private final String field;

  public PolicyException(String file, int line, String field, String problem) {
    super(format(file, line, field, problem));
    this.file = file;
    this.line = line;
    this.field = field;
  }

  private static String format(String file, int line, String field, String problem) {
    StringBuilder out = new StringBuilder("policy `").append(file).append('`');
    if (line > 0) {
      out.append(" line ").append(line);
    }
    if (field != null && !field.isEmpty()) {
      out.append(", field `").append(field).append('`');
    }
    return out.append(": ").append(problem).toString();
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  /** The dotted path of the field, e.g. {@code rules[2].grants[0].classes}. */
  public String field() {
    return field;
  }
}
