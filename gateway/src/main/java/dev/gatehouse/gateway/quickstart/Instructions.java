package dev.gatehouse.gateway.quickstart;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the quickstart prints and writes: commands ready to paste, and the same facts as JSON. */
public final class Instructions {

  private Instructions() {}

  /** The psql command for {@code principal}, its token as the password. */
  public static String psql(Quickstart.Running r, String principal) {
    return "PGPASSWORD="
        + r.tokens().get(principal)
        + " psql \"host="
        + r.wireHost()
        + " port="
        + r.wirePort()
        + " dbname="
        + r.database()
        + " user="
        + principal
        + " sslmode=disable\"";
  }

  public static String mcpUrl(Quickstart.Running r) {
    return "http://127.0.0.1:" + r.httpPort() + "/mcp";
  }

  public static String adminUrl(Quickstart.Running r) {
    return "http://127.0.0.1:" + r.httpPort();
  }

  /** The console (issue #22): sign in at the local issuer's login page. */
  public static String consoleUrl(Quickstart.Running r) {
    return adminUrl(r) + "/console";
  }

  /** The MCP client configuration (Claude Desktop, IDEs): streamable HTTP with a bearer token. */
  public static String mcpSnippet(Quickstart.Running r, String principal) {
    return """
        {
          "mcpServers": {
            "gatehouse": {
              "type": "http",
              "url": "%s",
              "headers": { "Authorization": "Bearer %s" }
            }
          }
        }"""
        .formatted(mcpUrl(r), r.tokens().get(principal));
  }

  public static String text(Quickstart.Running r, String jar) {
    String dba = r.tokens().get("dba");
    StringBuilder b = new StringBuilder();
    b.append("\nGatehouse quickstart is running (embedded PostgreSQL, local OIDC issuer, reference")
        .append(" policy).\nTokens are valid for one hour. Press Ctrl-C to stop.\n\n");
    b.append("== Connect with psql, one identity each (the token is the password) ==\n\n");
    for (String principal : r.tokens().keySet()) {
      b.append("# ").append(principal).append('\n').append(psql(r, principal)).append("\n\n");
    }
    b.append("== Point an agent at the MCP server (as analyst) ==\n\n")
        .append(mcpSnippet(r, "analyst"))
        .append("\n\n== Try it ==\n\n")
        .append("As analyst, a masked column:\n  SELECT email, ssn FROM app.customers LIMIT 3;\n")
        .append("As support-lead (pii-cleared), the same query in clear.\n")
        .append("As contractor, a denial (42501):\n  SELECT * FROM app.orders LIMIT 1;\n")
        .append("As etl-nightly, a statement that waits for a DBA's approval:\n")
        .append("  DROP TABLE app.orders;\n")
        .append("then, in another terminal, as dba:\n")
        .append("  ")
        .append(jar)
        .append(" approvals list --url ")
        .append(adminUrl(r))
        .append(" --token ")
        .append(dba)
        .append("\n  ")
        .append(jar)
        .append(" approvals approve <id> --url ")
        .append(adminUrl(r))
        .append(" --token ")
        .append(dba)
        .append("\n\nAfterwards:\n  ")
        .append(jar)
        .append(" audit search --config ")
        .append(r.config())
        .append(" --since 1h\n  ")
        .append(jar)
        .append(" audit verify --config ")
        .append(r.config())
        .append("\n  ")
        .append(jar)
        .append(" review report --config ")
        .append(r.config())
        .append(" --since 1d\n  ")
        .append(jar)
        .append(" policy check --config ")
        .append(r.config())
        .append(" --principal analyst --sql \"SELECT email, ssn FROM app.customers\"\n\n")
        .append("Metrics: ")
        .append(adminUrl(r))
        .append("/actuator/prometheus   health: ")
        .append(adminUrl(r))
        .append("/actuator/health\n");
    b.append("\n== Console ==\n\n")
        .append(consoleUrl(r))
        .append("\nAt the issuer's sign-in page type a subject (e.g. dba) and its claims, e.g.\n")
        .append("  {\"groups\": [\"dba\"]}\n");
    return b.toString();
  }

  /** The facts as a JSON-ready map. */
  public static Map<String, Object> json(Quickstart.Running r) {
    Map<String, Object> principals = new LinkedHashMap<>();
    r.tokens()
        .forEach(
            (name, token) -> principals.put(name, Map.of("token", token, "psql", psql(r, name))));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("wire", Map.of("host", r.wireHost(), "port", r.wirePort()));
    out.put("mcp", Map.of("url", mcpUrl(r)));
    out.put("database", r.database());
    out.put("principals", principals);
    out.put("admin", Map.of("url", adminUrl(r)));
    out.put("metrics", Map.of("url", adminUrl(r) + "/actuator/prometheus"));
    out.put("console", Map.of("url", consoleUrl(r)));
    out.put("config", r.config().toString());
    out.put("directory", r.directory().toString());
    return out;
  }
}
