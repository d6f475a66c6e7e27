package dev.gatehouse.gateway.config;

import dev.gatehouse.engine.policy.yaml.YamlObject;
import dev.gatehouse.engine.quota.QuotaLimits;

/**
 * The optional {@code quotas} section: what one principal and one upstream role may hold at once
 * (docs/operations.md). Every field has a default; 0 or leaving it out means the default.
 */
final class QuotasSection {

  private QuotasSection() {}

  static QuotaLimits read(YamlObject q) {
    if (q == null) {
      return QuotaLimits.defaults();
    }
    q.fields(
        "`wireSessionsPerPrincipal`, `mcpSessionsPerPrincipal`, `statementsPerPrincipal`,"
            + " `unauthenticatedConnections`, `unauthenticatedPerAddress`, `upstream`");
    YamlObject u = q.object("upstream", true);
    if (u != null) {
      u.fields("`maxConnections`, `reserve`, `perRole`, `perPrincipal`");
    }
    int maxConnections = u == null ? 0 : u.integer("maxConnections", 0);
    int reserve =
        u == null
            ? QuotaLimits.DEFAULT_UPSTREAM_RESERVE
            : u.integer("reserve", QuotaLimits.DEFAULT_UPSTREAM_RESERVE);
    int perRole = u == null ? 0 : u.integer("perRole", 0);
    int perPrincipal = u == null ? 0 : u.integer("perPrincipal", 0);
    try {
      return new QuotaLimits(
          q.integer("wireSessionsPerPrincipal", 0),
          q.integer("mcpSessionsPerPrincipal", 0),
          q.integer("statementsPerPrincipal", 0),
          maxConnections,
          reserve,
          perRole,
          perPrincipal,
          q.integer("unauthenticatedConnections", 0),
          q.integer("unauthenticatedPerAddress", 0));
    } catch (IllegalArgumentException e) {
      // The refusal starts with the field it is about, in backticks: reported at that field.
      String message = e.getMessage();
      String field = message.substring(1, message.indexOf('`', 1));
      throw field.startsWith("upstream.") && u != null
          ? u.error(field.substring("upstream.".length()), message)
          : q.error(field, message);
    }
  }
}
