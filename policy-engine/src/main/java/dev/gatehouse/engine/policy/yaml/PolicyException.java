package dev.gatehouse.engine.policy.yaml;

/**
 * A policy file that cannot be used: the message names the file, the line and the field, and says
 * what to write instead.
 */
public final class PolicyException extends RuntimeException {

  private final String file;
  private final int line;
  private final String field;
  private final java.util.List<PolicyException> all;

  public PolicyException(String file, int line, String field, String problem) {
    super(format(file, line, field, problem));
    this.file = file;
    this.line = line;
    this.field = field;
    this.all = java.util.List.of(this);
  }

  private PolicyException(java.util.List<PolicyException> problems) {
    super(problems.get(0).getMessage());
    PolicyException first = problems.get(0);
    this.file = first.file;
    this.line = first.line;
    this.field = first.field;
    this.all = java.util.List.copyOf(problems);
  }

  /** Several problems of one file: the message, file, line and field are the first one's. */
  public static PolicyException all(java.util.List<PolicyException> problems) {
    return problems.size() == 1 ? problems.get(0) : new PolicyException(problems);
  }

  /** Every problem this exception stands for, in the order they were found (at least this one). */
  public java.util.List<PolicyException> problems() {
    return all;
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
