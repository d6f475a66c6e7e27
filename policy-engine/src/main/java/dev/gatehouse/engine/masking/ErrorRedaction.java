package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.masking.detect.DetectorType;
import dev.gatehouse.engine.masking.detect.Detectors;
import dev.gatehouse.engine.masking.detect.TextShape;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementInfo;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Redacts the text of PostgreSQL ErrorResponse and NoticeResponse fields for a principal masking
 * applies to. Many errors echo their input ({@code invalid input syntax for type integer:
 * "219-09-9999"}, {@code unrecognized configuration parameter "..."}, a DETAIL with the failing
 * row, a CONTEXT with JSON or XML text), so for a statement that touched masked data (or could not
 * be traced) every field that carries text is replaced, unless its SQLSTATE is known to say nothing
 * about values: the message keeps only its leading words (the kind of error and the type or
 * function, never a quoted or trailing value), the SQLSTATE, position, routine, file and line stay,
 * and detail, hint, context, internal query and where are withheld. Every text that remains, for
 * any statement, passes through all content detectors.
 *
 * <p>Fields are keyed by their protocol codes: {@code M} message, {@code D} detail, {@code H} hint,
 * {@code W} context, {@code q} internal query, {@code C} SQLSTATE, {@code P} position.
 */
public final class ErrorRedaction {

  /** What replaces a withheld field. */
  public static final String WITHHELD = "(withheld: the statement reads masked data)";

  /** No redaction: a principal without masking. */
  public static final ErrorRedaction NONE = new ErrorRedaction(false, false);

  /** What replaces the DETAIL of an integrity error (the failing row, the key values). */
  public static final String ROW_WITHHELD =
      "(withheld: the failing row and key values; the statement reads or writes masked data)";

  /**
   * PostgreSQL's own integrity-error messages: they quote only the names of the relation, column
   * and constraint (the values are in the DETAIL), so they stay whole.
   */
  private static final Pattern INTEGRITY =
      Pattern.compile(
          "null value in column \"[^\"]+\" of relation \"[^\"]+\" violates not-null constraint"
              + "|duplicate key value violates unique constraint \"[^\"]+\""
              + "|conflicting key value violates exclusion constraint \"[^\"]+\""
              + "|(?:insert or update|update or delete) on table \"[^\"]+\" violates foreign key"
              + " constraint \"[^\"]+\"(?: on table \"[^\"]+\")?"
              + "|new row for relation \"[^\"]+\" violates check constraint \"[^\"]+\""
              + "|new row violates check option for view \"[^\"]+\"");

  /** Codes whose messages name objects or states, never values. */
  private static final Set<String> SAFE_STATES =
      Set.of(
          "57014", "25006", "25P02", "42501", "40001", "40P01", "55P03", "57P01", "57P02", "57P03",
          "57P04", "57P05", "53000", "53100", "53200", "53300", "53400", "08000", "08003", "08006");

  /**
   * Whether an error of {@code sqlState} is one whose text names objects or states and never a
   * value (a cancelled statement, a serialization failure, the gateway's own refusals); false for
   * every other code, unknown ones included.
   */
  public static boolean quotesNothing(String sqlState) {
    return SAFE_STATES.contains(sqlState);
  }

  /**
   * Fields that may quote the SQL a function ran (CONTEXT {@code SQL statement "..."}, the internal
   * query), whatever the error: dynamic SQL built from a value carries the value.
   */
  private static final Set<Character> QUOTING_FIELDS = Set.of('W', 'q');

  /** Source files of procedural languages: their text and SQLSTATE are the function's choice. */
  private static final Set<String> PL_FILES =
      Set.of("pl_exec.c", "pl_comp.c", "plpy_elog.c", "plpy_plpymodule.c", "plperl.c", "pltcl.c");

  /** A CONTEXT line of a function's body: the text was raised by code analysis cannot see. */
  private static final Pattern ROUTINE_CONTEXT = Pattern.compile("(?m)^(?:PL/\\S+|SQL) function ");

  /** Fields that carry free text (the rest are codes, numbers, names and source locations). */
  private static final Set<Character> TEXT_FIELDS = Set.of('M', 'D', 'H', 'W', 'q');

  /** A message's leading words: lower case letters and a little punctuation, no value. */
  private static final Pattern KIND = Pattern.compile("[a-z][a-z /_()]{0,80}");

  private static final Pattern SEVERITY =
      Pattern.compile("(?:ERROR|FATAL|PANIC|WARNING|NOTICE|INFO|LOG|DEBUG): ");

  private static final Detectors ALL = Detectors.of(EnumSet.allOf(DetectorType.class));

  private final boolean active;
  private final boolean touched;

  private ErrorRedaction(boolean active, boolean touched) {
    this.active = active;
    this.touched = touched;
  }

  /**
   * The redaction for a statement (or message) run under {@code policy}; {@code analysis} null
   * means not known, which counts as having touched masked data.
   */
  public static ErrorRedaction of(MaskingPolicy policy, Analysis analysis) {
    if (policy == null || policy.isEmpty()) {
      return NONE;
    }
    boolean touched = analysis == null || analysis.statements().isEmpty();
    if (!touched) {
      for (StatementInfo s : analysis.statements()) {
        touched |= MaskedDataUse.touchesMasked(s, policy);
      }
    }
    return new ErrorRedaction(true, touched);
  }

  /** Detectors only: text of a message that ran no statement (Parse, Bind, an async notice). */
  public static ErrorRedaction detectorsOnly() {
    return new ErrorRedaction(true, false);
  }

  public boolean active() {
    return active;
  }

  /** The fields with values removed; the same map when nothing changes. */
  public Map<Character, String> redact(Map<Character, String> fields) {
    if (!active) {
      return fields;
    }
    String state = fields.getOrDefault('C', "");
    // Text a function's body raised (RAISE, or a procedural language's own error) has whatever
    // SQLSTATE the function chose, so no state is trusted. Any text raised while a function or
    // trigger ran may carry what it read, which analysis cannot see: it counts as touched. Dynamic
    // SQL built from a value shows up in CONTEXT and internal query whatever the state, so a
    // touched statement loses those two fields always.
    boolean raised = raisedByRoutine(fields);
    boolean touchedHere = touched || raised || inRoutine(fields);
    boolean withhold = raised || (touchedHere && !SAFE_STATES.contains(state));
    // a constraint violation keeps its message (names only) and says what its DETAIL was
    boolean integrity =
        withhold
            && !raised
            && (state.startsWith("23") || state.equals("44000"))
            && INTEGRITY.matcher(fields.getOrDefault('M', "")).matches();
    Map<Character, String> out = new LinkedHashMap<>();
    boolean changed = false;
    for (Map.Entry<Character, String> e : fields.entrySet()) {
      String value = e.getValue();
      String redacted = value;
      if (TEXT_FIELDS.contains(e.getKey())) {
        char field = e.getKey();
        if (integrity && field == 'M') {
          redacted = value;
        } else if (integrity && field == 'D') {
          redacted = ROW_WITHHELD;
        } else if (withhold || (touchedHere && QUOTING_FIELDS.contains(field))) {
          redacted = withheld(field, value, state, raised);
        } else {
          redacted = detected(value);
        }
      } else if (value != null && !e.getKey().equals('C')) {
        redacted = detected(value);
      }
      if (redacted != null) {
        out.put(e.getKey(), redacted);
      }
      changed |= redacted == null || !redacted.equals(value);
    }
    return changed ? out : fields;
  }

  /**
   * The error text as the audit trail stores it, whoever ran the statement: whoever reads the trail
   * (the admin API, the CLI, the review report) may not be cleared for what a cleared principal
   * saw. Errors of the classes that echo their input (data exceptions, integrity violations with
   * their failing row, undefined objects named by a value, program limits, RAISE) keep only their
   * leading words; every text passes through all detectors.
   */
  public static String forAudit(String sqlState, String message) {
    return forAudit(sqlState, message, Map.of());
  }

  /**
   * As {@link #forAudit(String, String)}, with the error's other fields ({@code origin}: routine,
   * file, context) telling text a function raised, whatever its SQLSTATE, from PostgreSQL's own.
   */
  public static String forAudit(String sqlState, String message, Map<Character, String> origin) {
    if (message == null || message.contains(WITHHELD)) {
      return message;
    }
    String state = sqlState == null ? "" : sqlState;
    boolean echoes =
        AUDIT_ECHOING_CLASSES.stream().anyMatch(state::startsWith)
            || AUDIT_ECHOING_STATES.contains(state);
    return new ErrorRedaction(true, echoes).redactMessage(state, message, origin);
  }

  private static final Set<String> AUDIT_ECHOING_CLASSES =
      Set.of("22", "23", "54", "P0", "0", "XX");

  private static final Set<String> AUDIT_ECHOING_STATES =
      Set.of("42704", "42P01", "42703", "42883", "42602", "42601", "42P02", "42P18", "42846");

  /** An error message alone (a front end that has no fields), redacted as field {@code M}. */
  public String redactMessage(String sqlState, String message) {
    return redactMessage(sqlState, message, Map.of());
  }

  /**
   * As {@link #redactMessage(String, String)}, with the error's routine, file and context from
   * {@code origin} (other fields are ignored).
   */
  public String redactMessage(String sqlState, String message, Map<Character, String> origin) {
    if (message == null) {
      return null;
    }
    // a client library's rendering may start with the severity (`ERROR: ...`)
    var severity = SEVERITY.matcher(message);
    String prefix = severity.lookingAt() ? severity.group() : "";
    Map<Character, String> fields = new LinkedHashMap<>();
    fields.put('C', sqlState == null ? "" : sqlState);
    fields.put('M', message.substring(prefix.length()));
    for (char code : new char[] {'R', 'F', 'W'}) {
      if (origin.get(code) != null) {
        fields.put(code, origin.get(code));
      }
    }
    return prefix + redact(fields).get('M');
  }

  private static boolean raisedByRoutine(Map<Character, String> fields) {
    return "exec_stmt_raise".equals(fields.get('R'))
        || PL_FILES.contains(fields.getOrDefault('F', ""));
  }

  private static boolean inRoutine(Map<Character, String> fields) {
    String context = fields.get('W');
    return context != null && ROUTINE_CONTEXT.matcher(context).find();
  }

  private static String withheld(char field, String value, String state, boolean raised) {
    if (field != 'M') {
      return null;
    }
    return kind(value, state, raised) + " " + WITHHELD;
  }

  /** The words before the first quote or colon, when they are plainly no value. */
  private static String kind(String message, String state, boolean raised) {
    int end = message.length();
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c == '"' || c == ':' || c == '\'') {
        end = i;
        break;
      }
    }
    String prefix = message.substring(0, end).strip();
    boolean plain =
        !raised
            && !state.startsWith("P0")
            && end < message.length()
            && KIND.matcher(prefix).matches()
            && ALL.scan(prefix, TextShape.of(prefix)).isEmpty();
    String what = state.startsWith("00") || state.startsWith("01") ? "message " : "error ";
    return plain ? prefix : what + (state.isEmpty() ? "" : state);
  }

  private static String detected(String text) {
    return Detectors.redactEvery(text);
  }
}
