package dev.gatehouse.engine.sql;

/**
 * A bound of the analyser that a message went past: it is refused before (or instead of) parsing,
 * whatever the policy says, as PostgreSQL refuses a statement past its own limits.
 *
 * @param kind which bound
 * @param max the bound's value
 */
public record AnalysisLimit(Kind kind, long max) {

  /** The bounds, each with its SQLSTATE and the setting that changes it. */
  public enum Kind {
    /** Characters in one message. */
    SIZE("54000", "analysis.max-length", "it is longer than %d characters"),
    /** Statements in one message. */
    STATEMENTS("54000", "analysis.max-statements", "it holds more than %d statements"),
    /** Tokens in one message. */
    TOKENS("54000", "analysis.max-tokens", "it holds more than %d tokens"),
    /** Nesting of parentheses and brackets. */
    DEPTH("54001", "analysis.max-depth", "it nests parentheses or brackets deeper than %d"),
    /** A statement whose parse ran past the deadline on an idle parser; remembered a while. */
    PARSE_TIME(
        "54001", "analysis.parse-timeout", "its analysis took longer than %d ms and was stopped");

    private final String sqlState;
    private final String setting;
    private final String why;

    Kind(String sqlState, String setting, String why) {
      this.sqlState = sqlState;
      this.setting = setting;
      this.why = why;
    }

    /** 54000 program_limit_exceeded or 54001 statement_too_complex. */
    public String sqlState() {
      return sqlState;
    }

    /** The configuration setting that raises the bound. */
    public String setting() {
      return setting;
    }
  }

  /** The rule id a refusal for a limit carries. */
  public static final String RULE_ID = "analysis-limit";

  /** One line for the client: what was refused, which bound, how to change it. */
  public String explanation() {
    String head = kind.sqlState.equals("54001") ? "statement too complex" : "statement too large";
    return head
        + ": "
        + String.format(kind.why, max)
        + ", the gateway's limit (`"
        + kind.setting
        + "`), so it was not analysed and nothing was run. Split or simplify it, or ask the"
        + " gateway's operator to raise `"
        + kind.setting
        + "`";
  }
}
