package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.identity.IssuerConfig;
import dev.gatehouse.engine.upstream.UpstreamDirectory;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A loaded, validated policy file: immutable; a reload builds a new one.
 *
 * @param revision the SHA-256 of the file's bytes, recorded with every decision
 * @param approvers who approves requests unless a rule names others
 * @param approvalExpiry how long a request waits unless a rule says otherwise
 * @param taint which sessions have their writes held after reading untrusted text
 */
public record Policy(
    Path source,
    String revision,
    List<IssuerConfig> issuers,
    Map<String, DatabaseConfig> databases,
    List<Rule> rules,
    Approvers approvers,
    Duration approvalExpiry,
    MaskingSettings masking,
    TaintSettings taint)
    implements UpstreamDirectory {

  public Policy {
    issuers = List.copyOf(issuers);
    databases = Map.copyOf(databases);
    rules = List.copyOf(rules);
    taint = taint == null ? TaintSettings.NONE : taint;
  }

  /** Where and as whom to connect for {@code database} as {@code role}. */
  @Override
  public UpstreamTarget upstream(String database, String role) {
    DatabaseConfig db = databases.get(database);
    if (db == null) {
      throw new IllegalArgumentException("no database `" + database + "` in the policy");
    }
    DatabaseConfig.Credentials credentials = db.roles().get(role);
    if (credentials == null) {
      throw new IllegalArgumentException(
          "database `" + database + "` has no upstream role `" + role + "`");
    }
    return new UpstreamTarget(
        db.host(), db.port(), db.database(), credentials.user(), credentials.password());
  }

  /** Declared here and named by a grant of some allow or approval rule. */
  @Override
  public boolean serves(String database) {
    return database != null
        && databases.containsKey(database)
        && rules.stream()
            .anyMatch(r -> r.effect() != Effect.DENY && r.grantFor(database).isPresent());
  }

  public Rule rule(String id) {
    return rules.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
  }

  /** How long a request required by {@code ruleIds} waits: the shortest any of them sets. */
  public Duration approvalExpiry(List<String> ruleIds) {
    Duration expiry = null;
    for (String id : ruleIds) {
      Rule r = rule(id);
      if (r != null && r.expiry() != null && (expiry == null || r.expiry().compareTo(expiry) < 0)) {
        expiry = r.expiry();
      }
    }
    return expiry == null ? approvalExpiry : expiry;
  }

  /** Who may approve a request required by {@code ruleIds}. */
  public Approvers approversFor(List<String> ruleIds) {
    for (String id : ruleIds) {
      Rule r = rule(id);
      if (r != null && r.approvers() != null) {
        return r.approvers();
      }
    }
    return approvers;
  }
}
