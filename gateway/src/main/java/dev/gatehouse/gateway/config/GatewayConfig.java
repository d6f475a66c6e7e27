package dev.gatehouse.gateway.config;

import dev.gatehouse.engine.approval.ApprovalConfig;
import dev.gatehouse.engine.audit.AuditConfig;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.quota.QuotaLimits;
import dev.gatehouse.slack.config.SlackBotConfig;
import dev.gatehouse.wire.server.WireProxyConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The gateway's whole configuration, read from one YAML file by {@link GatewayConfigReader},
 * validated there and immutable afterwards.
 *
 * @param file the config file itself
 * @param policyFile the policy file (relative paths resolve against the config file's directory)
 * @param policyReload how often the policy file is checked for changes, zero for never
 * @param control the control database (audit trail and approvals)
 * @param audit audit trail settings
 * @param approvals approval settings
 * @param pseudonymKey HMAC key of the pseudonym masking strategy, or null
 * @param catalogRoles per logical database, the upstream role that reads the catalog for masking
 * @param wire the wire proxy listener
 * @param http the HTTP listener (MCP, Slack, admin API, health, metrics)
 * @param mcp MCP settings
 * @param slack the Slack approval bot, or null when Slack is not configured
 * @param quotas what one principal and one upstream role may hold at once
 * @param lines the line of each section and of the fields checked after reading, for errors
 */
public record GatewayConfig(
    Path file,
    Path policyFile,
    Duration policyReload,
    ControlDatabase.Settings control,
    AuditConfig audit,
    ApprovalConfig approvals,
    byte[] pseudonymKey,
    Map<String, String> catalogRoles,
    WireProxyConfig wire,
    Http http,
    Mcp mcp,
    SlackBotConfig slack,
    QuotaLimits quotas,
    Map<String, Integer> lines) {

  public GatewayConfig {
    catalogRoles = Map.copyOf(catalogRoles);
    lines = Map.copyOf(lines);
  }

  /**
   * The HTTP listener.
   *
   * @param metricsToken the bearer token {@code /actuator/prometheus} requires, or null: then
   *     metrics answer loopback clients only
   */
  public record Http(String host, int port, String metricsToken) {
    public Http(String host, int port) {
      this(host, port, null);
    }

    @Override
    public String toString() {
      return "Http["
          + host
          + ":"
          + port
          + (metricsToken == null ? "" : ", metricsToken=****")
          + "]";
    }
  }

  /**
   * MCP settings; the authorization servers default to the policy's issuers.
   *
   * @param database the logical database the tools read
   * @param sessionIdleTimeout an MCP session with no request for this long ends; null: default
   * @param sessionMaxLifetime an MCP session ends this long after it began; null or zero: never
   */
  public record Mcp(
      String database,
      String endpoint,
      boolean stateless,
      URI resourceUrl,
      List<URI> authorizationServers,
      int maxRows,
      Duration approvalWait,
      Duration sessionIdleTimeout,
      Duration sessionMaxLifetime) {
    public Mcp {
      authorizationServers = List.copyOf(authorizationServers);
    }
  }

  /** An error about {@code field} (a dotted path such as {@code control.url}) of this file. */
  public ConfigException error(String field, String problem) {
    String section = field.contains(".") ? field.substring(0, field.indexOf('.')) : field;
    int line = lines.getOrDefault(field, lines.getOrDefault(section, 0));
    return new ConfigException(file.toString(), line, field, problem);
  }
}
