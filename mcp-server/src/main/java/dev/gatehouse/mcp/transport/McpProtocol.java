package dev.gatehouse.mcp.transport;

import dev.gatehouse.engine.quota.QuotaExceeded;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.mcp.tools.CallContext;
import dev.gatehouse.mcp.tools.GovernedTool;
import dev.gatehouse.mcp.tools.InvalidArgumentsException;
import dev.gatehouse.mcp.tools.ToolResults;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP methods Gatehouse answers ({@code initialize}, {@code tools/list}, {@code tools/call}),
 * independent of transport. {@code tools/list} is answered per caller: the SDK's servers list one
 * fixed set of tools for everyone, so the transports are fed these handlers instead.
 */
public final class McpProtocol {

  private static final Logger log = LoggerFactory.getLogger(McpProtocol.class);
  private static final String VERSION = "0.1.0";

  private final Map<String, GovernedTool> tools = new LinkedHashMap<>();
  private final McpServerConfig config;
  private final Quotas quotas;

  public McpProtocol(List<GovernedTool> tools, McpServerConfig config) {
    this(tools, config, Quotas.unlimited());
  }

  /** As above; every tool call of a principal counts as one of its running statements. */
  public McpProtocol(List<GovernedTool> tools, McpServerConfig config, Quotas quotas) {
    this.quotas = quotas;
    tools.forEach(t -> this.tools.put(t.definition().name(), t));
    this.config = config;
  }

  public McpServerConfig config() {
    return config;
  }

  public McpSchema.InitializeResult initialize(
      McpSchema.InitializeRequest request, List<String> supported) {
    // Answer with the client's version when we speak it, else with our newest (MCP lifecycle).
    String version =
        supported.contains(request.protocolVersion())
            ? request.protocolVersion()
            : supported.getLast();
    return new McpSchema.InitializeResult(
        version,
        McpSchema.ServerCapabilities.builder().tools(false).build(),
        new McpSchema.Implementation(config.serverName(), VERSION),
        "Governed access to the PostgreSQL database `"
            + config.database()
            + "`. Use `describe` to see what you may read, `query` to run SQL. Every call is"
            + " checked by policy, masked and audited; refusals explain the rule and what is"
            + " allowed instead.");
  }

  /** The tools this caller may use. */
  public McpSchema.ListToolsResult listTools(CallContext caller) {
    List<McpSchema.Tool> visible = new ArrayList<>();
    for (GovernedTool tool : tools.values()) {
      if (tool.visibleTo(caller)) {
        visible.add(tool.definition());
      }
    }
    return new McpSchema.ListToolsResult(visible, null);
  }

  /**
   * Runs a call. A call naming no tool or an unknown one is an {@link McpError} (invalid params);
   * arguments the tool cannot use are an {@code isError} result the model can correct (SEP-1303).
   */
  public McpSchema.CallToolResult callTool(CallContext caller, McpSchema.CallToolRequest request) {
    if (request == null || request.name() == null) {
      throw invalid("`tools/call` needs a tool `name`");
    }
    GovernedTool tool = tools.get(request.name());
    if (tool == null) {
      throw invalid("unknown tool `" + request.name() + "`; the tools are " + tools.keySet());
    }
    Quotas.Permit running;
    try {
      running = quotas.statement(caller.principal());
    } catch (QuotaExceeded e) {
      return ToolResults.quotaExceeded(e.getMessage());
    }
    try (running) {
      return tool.call(caller, request.arguments());
    } catch (InvalidArgumentsException e) {
      return ToolResults.invalidArguments(e.getMessage());
    } catch (RuntimeException e) {
      // The tool's work failed in a way it did not anticipate: tell the model, keep details in
      // the log, never run anything twice.
      log.error("tool `{}` failed for {}", request.name(), caller.principal().label(), e);
      return ToolResults.internalError();
    }
  }

  static McpError invalid(String message) {
    return McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message(message).build();
  }
}
