package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.yaml.YamlObject;
import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.engine.sql.StatementClass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the {@code rules} of a policy file. */
final class RuleReader {

  private static final String CLASSES = "read, write, ddl, admin, transaction, session, unknown";

  private RuleReader() {}

  static Rule rule(YamlObject o, Map<String, DatabaseConfig> databases) {
    o.fields("`id`, `description`, `effect`, `match`, `when`, `grants`, `approvers`, `expiry`");
    String id = o.string("id");
    if (!id.matches("[a-z0-9][a-z0-9._-]*")) {
      throw o.error(
          "id", "expected lower-case letters, digits, `.`, `_` or `-`, found `" + id + "`");
    }
    Effect effect =
        o.enums("effect", RuleReader::effect, "allow, deny, require-approval").stream()
            .findFirst()
            .orElse(Effect.ALLOW);
    PrincipalMatch match = match(o.object("match"));
    YamlObject whenNode = o.object("when", true);
    StatementMatch when = whenNode == null ? StatementMatch.ALWAYS : when(whenNode);
    List<Grant> grants = new ArrayList<>();
    List<YamlObject> grantNodes = o.objects("grants");
    for (YamlObject g : grantNodes) {
      // Each grant on its own: a problem in one does not hide the next one's.
      o.problems().attempt(() -> grants.add(grant(g, databases)));
    }
    if (effect == Effect.ALLOW && grantNodes.isEmpty()) {
      throw o.error("grants", "missing; an allow rule needs at least one grant");
    }
    if (effect == Effect.ALLOW && whenNode != null) {
      throw o.error(
          "when",
          "only deny and require-approval rules take `when`; an allow rule's grants say what it allows");
    }
    if (effect == Effect.DENY && !grantNodes.isEmpty()) {
      throw o.error(
          "grants", "a deny rule grants nothing; remove `grants` or make it an allow rule");
    }
    if (effect == Effect.REQUIRE_APPROVAL && when.isAlways()) {
      throw o.error(
          "when",
          "missing; say which statements need approval (classes, riskFlags, reads, writes, functions, commands)");
    }
    YamlObject approversNode = o.object("approvers", true);
    Approvers approvers = approversNode == null ? null : approvers(approversNode);
    java.time.Duration expiry = o.duration("expiry", null);
    if (effect != Effect.REQUIRE_APPROVAL && (approversNode != null || expiry != null)) {
      throw o.error(
          approversNode != null ? "approvers" : "expiry",
          "only require-approval rules take approvers and expiry");
    }
    Rule rule =
        new Rule(id, o.string("description", ""), effect, match, when, grants, approvers, expiry);
    return rule;
  }

  private static Effect effect(String s) {
    return switch (s) {
      case "allow" -> Effect.ALLOW;
      case "deny" -> Effect.DENY;
      case "require-approval" -> Effect.REQUIRE_APPROVAL;
      default -> throw new IllegalArgumentException(s);
    };
  }

  static Approvers approvers(YamlObject o) {
    o.fields("`groups`, `subjects`");
    Approvers a = new Approvers(o.strings("groups"), o.strings("subjects"));
    if (a.isEmpty()) {
      throw o.error("groups", "missing; name at least one approver group or subject");
    }
    return a;
  }

  private static PrincipalMatch match(YamlObject o) {
    o.fields("`issuers`, `subjects`, `groups`, `clientIds`, `kind`, `claims`");
    Map<String, List<Glob>> claims = new LinkedHashMap<>();
    YamlObject claimsNode = o.object("claims", true);
    if (claimsNode != null) {
      for (String key : claimsNode.keys()) {
        claims.put(key, Glob.all(claimsNode.strings(key)));
      }
    }
    Principal.Kind kind =
        o
            .enums(
                "kind", s -> Principal.Kind.valueOf(s.toUpperCase(Locale.ROOT)), "person, workload")
            .stream()
            .findFirst()
            .orElse(null);
    PrincipalMatch match =
        new PrincipalMatch(
            o.strings("issuers"),
            Glob.all(o.strings("subjects")),
            o.strings("groups"),
            o.strings("clientIds"),
            kind,
            claims);
    if (match.issuers().isEmpty()
        && match.subjects().isEmpty()
        && match.groups().isEmpty()
        && match.clientIds().isEmpty()
        && kind == null
        && claims.isEmpty()) {
      throw o.error(
          "groups",
          "missing; a match needs at least one condition (write `subjects: ['*']` to match everyone)");
    }
    return match;
  }

  private static StatementMatch when(YamlObject o) {
    o.fields("`databases`, `classes`, `riskFlags`, `reads`, `writes`, `functions`, `commands`");
    StatementMatch when =
        new StatementMatch(
            o.strings("databases"),
            Set.copyOf(o.enums("classes", RuleReader::statementClass, CLASSES)),
            Set.copyOf(o.enums("riskFlags", RuleReader::flag, flags())),
            Glob.all(o.strings("reads")),
            Glob.all(o.strings("writes")),
            Glob.all(o.strings("functions")),
            o.strings("commands").stream().map(c -> c.toUpperCase(Locale.ROOT)).toList());
    return when;
  }

  private static Grant grant(YamlObject o, Map<String, DatabaseConfig> databases) {
    o.fields(
        "`database`, `classes`, `read`, `write`, `functions`, `settings`, `allowRisks`,"
            + " `upstreamRole`, `readOnly`, `rowLimit`, `statementTimeout`, `maxRowsAffected`");
    String database = o.string("database");
    DatabaseConfig db = databases.get(database);
    if (db == null) {
      throw o.error(
          "database",
          "unknown database `"
              + database
              + "`; expected one of "
              + Explain.list(databases.keySet()));
    }
    Set<StatementClass> classes =
        Set.copyOf(o.enums("classes", RuleReader::statementClass, CLASSES));
    if (classes.isEmpty()) {
      throw o.error("classes", "missing; list the statement classes granted (" + CLASSES + ")");
    }
    String role = o.string("upstreamRole");
    if (!db.roles().containsKey(role)) {
      throw o.error(
          "upstreamRole",
          "unknown upstream role `"
              + role
              + "` of database `"
              + database
              + "`; expected one of "
              + Explain.list(db.roles().keySet()));
    }
    long rowLimit = o.longValue("rowLimit", 0);
    if (rowLimit < 0) {
      throw o.error("rowLimit", "expected zero (no limit) or more, found `" + rowLimit + "`");
    }
    long maxRowsAffected = o.longValue("maxRowsAffected", 0);
    if (maxRowsAffected < 0) {
      throw o.error(
          "maxRowsAffected", "expected zero (no bound) or more, found `" + maxRowsAffected + "`");
    }
    Grant grant =
        new Grant(
            database,
            classes,
            Glob.all(o.strings("read")),
            Glob.all(o.strings("write")),
            Glob.all(o.strings("functions")),
            Set.copyOf(
                o.strings("settings").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()),
            Set.copyOf(o.enums("allowRisks", RuleReader::flag, flags())),
            role,
            o.bool("readOnly", false),
            rowLimit,
            o.duration("statementTimeout", null),
            maxRowsAffected);
    return grant;
  }

  private static StatementClass statementClass(String s) {
    return StatementClass.valueOf(s.toUpperCase(Locale.ROOT));
  }

  private static RiskFlag flag(String s) {
    return RiskFlag.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  private static String flags() {
    return String.join(
        ", ",
        Arrays.stream(RiskFlag.values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList());
  }
}
