package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.BuiltinCatalog;
import dev.gatehouse.engine.sql.model.Names;
import dev.gatehouse.engine.sql.model.TableRef;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a rule grants on one database: statement classes, relations to read and to write (globs),
 * functions beyond the built-in ones, protected settings, risks it accepts, and how the statement
 * runs upstream. Dangerous functions, credential and database catalogs and protected settings are
 * granted only by their exact name, never by a glob.
 */
public record Grant(
    String database,
    Set<StatementClass> classes,
    List<Glob> read,
    List<Glob> write,
    List<Glob> functions,
    Set<String> settings,
    Set<RiskFlag> allowRisks,
    String upstreamRole,
    boolean readOnly,
    long rowLimit,
    Duration statementTimeout,
    long maxRowsAffected) {

  /** Flags that deny unless a grant (or an approval rule) accepts them by name. */
  public static final Set<RiskFlag> FAIL_CLOSED =
      EnumSet.of(
          RiskFlag.PARSE_FAILURE,
          RiskFlag.PARSE_TIMEOUT,
          RiskFlag.TOO_LARGE,
          RiskFlag.UNSUPPORTED_STATEMENT,
          RiskFlag.DYNAMIC_SQL,
          RiskFlag.COPY_FILE,
          RiskFlag.COPY_PROGRAM,
          RiskFlag.EXPLAIN_ANALYZE,
          RiskFlag.DEFINER_RIGHTS,
          RiskFlag.HIDDEN_WRITE,
          RiskFlag.UNDECLARED_CURSOR,
          RiskFlag.UNCERTAIN_SEARCH_PATH);

  public Grant {
    classes = Set.copyOf(classes);
    read = List.copyOf(read);
    write = List.copyOf(write);
    functions = List.copyOf(functions);
    settings = Set.copyOf(settings);
    allowRisks = Set.copyOf(allowRisks);
  }

  /**
   * Why this grant does not cover {@code s}, or null when it does.
   *
   * @param accepted flags accepted besides the grant's own (those an approval rule asks about)
   */
  public String uncovered(StatementInfo s, Set<RiskFlag> accepted) {
    for (RiskFlag f : s.riskFlags()) {
      if (FAIL_CLOSED.contains(f) && !accepts(f, accepted)) {
        return Explain.flag(f);
      }
    }
    if (!classes.contains(s.statementClass())) {
      return Explain.kind(s.statementClass());
    }
    if (readOnly && s.riskFlags().contains(RiskFlag.READ_WRITE_TRANSACTION)) {
      return Explain.flag(RiskFlag.READ_WRITE_TRANSACTION);
    }
    boolean locking = s.riskFlags().contains(RiskFlag.LOCKING_READ);
    for (TableRef t : s.tablesRead()) {
      if (!covers(locking ? write : union(), t)) {
        return (locking ? "it locks rows of `" : "it reads `")
            + t
            + (BuiltinCatalog.DATABASE_CATALOGS.contains(t.qualified())
                ? "`, which lists the server's databases and is granted only by its exact name"
                : "`");
      }
    }
    for (TableRef t : s.tablesWritten()) {
      if (!covers(write, t)) {
        return "it writes `" + t + "`";
      }
    }
    for (String f : s.functions()) {
      String problem = function(f);
      if (problem != null) {
        return problem;
      }
      if (!readOnly
          && BuiltinCatalog.isDatabaseFunction(f)
          && !accepts(RiskFlag.UNKNOWN_FUNCTION, accepted)) {
        // The gateway sees the call, not the body: a function of the database may write any
        // table its role may, unbounded and unapproved. A read-only session makes PostgreSQL
        // refuse such writes; elsewhere the grant must accept the risk by name.
        return "it calls `"
            + f
            + "`, a function of the database that may change data the gateway cannot see, and"
            + " this access is not read-only";
      }
    }
    if (!readOnly
        && s.riskFlags().contains(RiskFlag.FIELD_SELECTION)
        && !accepts(RiskFlag.UNKNOWN_FUNCTION, accepted)) {
      return "it selects a field with `(…).name`, which PostgreSQL reads as a call of a function"
          + " `name` when the value has no such field, and this access is not read-only";
    }
    for (var setting : s.settings().entrySet()) {
      String problem = setting(setting.getKey(), setting.getValue());
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /** True when this grant, or an approval rule asking about it, accepts risk {@code f}. */
  private boolean accepts(RiskFlag f, Set<RiskFlag> accepted) {
    return allowRisks.contains(f) || accepted.contains(f);
  }

  private List<Glob> union() {
    return java.util.stream.Stream.concat(read.stream(), write.stream()).toList();
  }

  private static boolean covers(List<Glob> globs, TableRef t) {
    String name = t.qualified();
    if (BuiltinCatalog.namedOnly(name)) {
      return Glob.named(globs, name);
    }
    return Glob.any(globs, name);
  }

  private String function(String f) {
    if (BuiltinCatalog.DANGEROUS_FUNCTIONS.contains(f)) {
      return Glob.named(functions, f) ? null : "it calls `" + f + "`, which is denied unless named";
    }
    if (!f.contains(".") && BuiltinCatalog.isBuiltinFunction(f)
        || BuiltinCatalog.isInformationSchemaFunction(f)) {
      return null;
    }
    return Glob.any(functions, f) ? null : "it calls `" + f + "`, which is not granted";
  }

  private String setting(String name, String value) {
    if (tightensReadOnly(name, value) || rowSecurity(name, value)) {
      return null;
    }
    boolean protectedSetting = BuiltinCatalog.PROTECTED_SETTINGS.contains(name) || name.equals("?");
    if (protectedSetting && !settings.contains(name)) {
      return "it changes the setting `" + name + "`, which is denied unless named";
    }
    if (value == null || value.equals("?")) {
      return protectedSetting ? "it changes `" + name + "` to a value that is not known" : null;
    }
    // RESET search_path (and SET ... TO DEFAULT) goes back to the value at connection start.
    if (name.equals("search_path") && !value.strip().equalsIgnoreCase("default")) {
      // Read as the wire proxy and the analyser read it, so the schema judged is the one searched.
      for (String s : Names.searchPath(value)) {
        if (!s.equals("pg_catalog") && !schemaGranted(s)) {
          return "it puts schema `" + s + "` on the search path, and that schema is not granted";
        }
      }
    }
    return null;
  }

  /**
   * {@code row_security} on or off widens nothing: off makes a query that a row security policy
   * would filter fail instead (pg_dump sets it so a dump is never silently partial), and a role
   * that bypasses row security does so either way.
   */
  private static boolean rowSecurity(String name, String value) {
    return name.equals("row_security")
        && value != null
        && Set.of("on", "off", "true", "false", "yes", "no", "1", "0")
            .contains(value.strip().toLowerCase(Locale.ROOT));
  }

  /** Turning read-only on only takes rights away (JDBC's setReadOnly(true) does it). */
  private static boolean tightensReadOnly(String name, String value) {
    return (name.equals("default_transaction_read_only") || name.equals("transaction_read_only"))
        && value != null
        && Set.of("on", "true", "yes", "1", "'on'", "'true'")
            .contains(value.strip().toLowerCase(Locale.ROOT));
  }

  private boolean schemaGranted(String schema) {
    return union().stream()
        .map(
            g ->
                g.pattern().contains(".")
                    ? g.pattern().substring(0, g.pattern().indexOf('.'))
                    : null)
        .filter(Objects::nonNull)
        .anyMatch(p -> Glob.of(p).matches(schema));
  }

  /** What this grant allows, for explanations. */
  public String summary() {
    StringBuilder out = new StringBuilder();
    out.append(Explain.list(classes.stream().map(Explain::name).sorted().toList()))
        .append(" statements");
    if (!read.isEmpty()) {
      out.append(", reading ").append(Explain.list(read));
    }
    if (!write.isEmpty()) {
      out.append(", writing ").append(Explain.list(write));
    }
    return out.append(" on `").append(database).append('`').toString();
  }
}
