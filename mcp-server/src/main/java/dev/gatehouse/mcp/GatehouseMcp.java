package dev.gatehouse.mcp;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.mcp.exec.Catalog;
import dev.gatehouse.mcp.exec.StatementRunner;
import dev.gatehouse.mcp.exec.UpstreamPools;
import dev.gatehouse.mcp.tools.ApprovalStatusTool;
import dev.gatehouse.mcp.tools.DescribeTool;
import dev.gatehouse.mcp.tools.ExplainTool;
import dev.gatehouse.mcp.tools.GatedStatements;
import dev.gatehouse.mcp.tools.QueryTool;
import dev.gatehouse.mcp.transport.McpFrontEnd;
import dev.gatehouse.mcp.transport.McpProtocol;
import java.util.List;

/**
 * The MCP front end assembled from a gate and a configuration: upstream pools, the governed tools
 * and the protocol handlers every transport uses.
 */
public final class GatehouseMcp implements McpFrontEnd, AutoCloseable {

  private final Gate gate;
  private final McpServerConfig config;
  private final UpstreamPools pools;
  private final McpProtocol protocol;
  private final GatedStatements gated;

  public GatehouseMcp(Gate gate, McpServerConfig config) {
    this(gate, config, Quotas.unlimited());
  }

  /** As above, with each principal's tool calls running at once bounded by {@code quotas}. */
  public GatehouseMcp(Gate gate, McpServerConfig config, Quotas quotas) {
    this.gate = gate;
    this.config = config;
    this.pools = new UpstreamPools(gate, config);
    this.gated =
        new GatedStatements(gate, config, new StatementRunner(pools, config.maxCellChars()));
    QueryTool query = new QueryTool(gated);
    this.protocol =
        new McpProtocol(
            List.of(
                query,
                new DescribeTool(gated, new Catalog(pools)),
                new ExplainTool(query),
                new ApprovalStatusTool(gated)),
            config,
            quotas);
  }

  @Override
  public Gate gate() {
    return gate;
  }

  @Override
  public McpServerConfig config() {
    return config;
  }

  @Override
  public McpProtocol protocol() {
    return protocol;
  }

  /**
   * The MCP session {@code sessionId} ended: what it held is dropped (upstream connections are
   * pooled per call, so what remains is what the session read that taints its later writes).
   */
  @Override
  public void sessionEnded(String sessionId) {
    gated.sessionEnded(sessionId);
  }

  @Override
  public void close() {
    pools.close();
  }
}
