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

  /**
   * What the quickstart prints: where {@code gatehouse.env} is and short commands that use it; no
   * token is printed (they are in the file).
   *
   * @param command how to run gatehouse again, e.g. {@code ./gatehouse}
   * @param removedOnStop whether Ctrl-C removes the directory
   */
  public static String text(Quickstart.Running r, String command, boolean removedOnStop) {
    StringBuilder b = new StringBuilder();
    b.append("\nGatehouse quickstart is running (embedded PostgreSQL, local OIDC issuer, reference")
        .append(" policy).\nCtrl-C stops it")
        .append(removedOnStop ? " and removes " + r.directory() + " (--keep keeps it)" : "")
        .append(".\nTokens are valid for one hour.\n\nIn another terminal:\n\n")
        .append("  source ")
        .append(r.directory().resolve(EnvFile.NAME))
        .append("\n\n");
    line(b, "psql \"$ANALYST_URL\"", "SELECT email, ssn FROM app.customers; (masked)");
    line(b, "psql \"$SUPPORT_LEAD_URL\"", "the same in clear (group pii-cleared)");
    line(b, "psql \"$CONTRACTOR_URL\"", "everything denied (42501)");
    line(b, "psql \"$ETL_URL\"", "DROP TABLE app.orders; waits for approval");
    line(b, command + " approvals list", "as dba; then: approvals approve ID");
    line(b, command + " audit search --config \"$CONFIG\"", "what happened");
    line(b, command + " review report --config \"$CONFIG\"", "the access review");
    b.append("\nMCP (streamable HTTP) as analyst, ready to paste: ")
        .append(r.directory().resolve(MCP_FILE))
        .append("\n  {\"mcpServers\": {\"gatehouse\": {\"type\": \"http\", \"url\": \"")
        .append(mcpUrl(r))
        .append("\",\n    \"headers\": {\"Authorization\": \"Bearer <$ANALYST_TOKEN>\"}}}}\n")
        .append("Over stdio: GATEHOUSE_TOKEN=\"$ANALYST_TOKEN\" ")
        .append(command)
        .append(" mcp-stdio --config \"$STDIO_CONFIG\"\n")
        .append("OAuth clients (Claude, MCP Inspector): give them the URL alone; they register")
        .append(" at the issuer and you pick a principal at its sign-in page\n");
    if (r.consoleUrl() != null) {
      b.append("Console: ")
          .append(r.consoleUrl())
          .append(" (at the issuer's sign-in page type a subject, e.g. dba, and its claims,")
          .append(" e.g. {\"groups\": [\"dba\"]})\n");
    }
    b.append("Health: ").append(adminUrl(r)).append("/actuator/health\n");
    return b.toString();
  }

  /** The file holding the MCP client configuration, token included. */
  public static final String MCP_FILE = "mcp.json";

  private static void line(StringBuilder b, String command, String comment) {
    b.append("  ").append(command);
    b.append(" ".repeat(Math.max(1, 48 - command.length()))).append("# ").append(comment);
    b.append('\n');
  }

  /** The facts as a JSON-ready map. */
  public static Map<String, Object> json(Quickstart.Running r) {
    Map<String, Object> principals = new LinkedHashMap<>();
    r.tokens()
        .forEach(
            (name, token) ->
                principals.put(
                    name,
                    Map.of(
                        "token", token,
                        "psql", psql(r, name),
                        "url", EnvFile.connectionUrl(r, name))));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("wire", Map.of("host", r.wireHost(), "port", r.wirePort()));
    out.put("mcp", Map.of("url", mcpUrl(r)));
    out.put("database", r.database());
    out.put("principals", principals);
    out.put("admin", Map.of("url", adminUrl(r)));
    out.put("metrics", Map.of("url", adminUrl(r) + "/actuator/prometheus"));
    out.put("config", r.config().toString());
    out.put("stdioConfig", r.stdioConfig().toString());
    out.put("env", r.directory().resolve(EnvFile.NAME).toString());
    out.put("directory", r.directory().toString());
    if (r.consoleUrl() != null) {
      out.put("console", Map.of("url", r.consoleUrl()));
    }
    return out;
  }
}
