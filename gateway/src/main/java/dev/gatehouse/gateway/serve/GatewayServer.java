package dev.gatehouse.gateway.serve;

import dev.gatehouse.engine.Engine;
import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.approval.ApprovalNotifier;
import dev.gatehouse.engine.approval.PolicyApprovers;
import dev.gatehouse.engine.audit.AuditSearch;
import dev.gatehouse.engine.identity.IssuerConfig;
import dev.gatehouse.engine.policy.yaml.PolicyException;
import dev.gatehouse.engine.quota.QuotaLimits;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.web.ConsoleSettings;
import dev.gatehouse.gateway.web.WebBeans;
import dev.gatehouse.mcp.config.McpServerConfig;
import dev.gatehouse.slack.SlackApprovalBot;
import dev.gatehouse.slack.audit.AuditTrailSlackAuditLog;
import dev.gatehouse.slack.outbox.JdbcSlackStore;
import dev.gatehouse.wire.server.WireProxyServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Everything {@code serve} runs: the engine, the wire proxy and one HTTP server (MCP, Slack, admin
 * API, health, metrics). Configuration is checked and the engine started before anything listens.
 */
public final class GatewayServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

  private final Engine engine;
  private final SlackApprovalBot slack;
  private final WireProxyServer wire;
  private final ConfigurableApplicationContext web;
  // Removed on close: the registry is global, and a gauge left behind would keep reading this
  // server's engine for a later server in the same JVM (which tests start).
  private final List<Meter> gauges;
  private final Quotas quotas;

  private GatewayServer(
      Engine engine,
      SlackApprovalBot slack,
      WireProxyServer wire,
      ConfigurableApplicationContext web,
      List<Meter> gauges,
      Quotas quotas) {
    this.engine = engine;
    this.quotas = quotas;
    this.slack = slack;
    this.wire = wire;
    this.web = web;
    this.gauges = gauges;
  }

  /** Starts the engine; refuses with a {@link dev.gatehouse.gateway.config.ConfigException}. */
  public static Engine startEngine(
      GatewayConfig config, Function<String, String> env, List<ApprovalNotifier> notifiers) {
    Preflight.controlDatabase(config);
    Engine.Settings settings =
        new Engine.Settings(
            config.policyFile(),
            config.policyReload(),
            config.control(),
            config.audit(),
            config.approvals(),
            config.pseudonymKey(),
            config.catalogRoles(),
            1000,
            notifiers);
    try {
      return Engine.start(settings, env, Clock.systemUTC());
    } catch (PolicyException e) {
      throw e;
    } catch (RuntimeException e) {
      throw config.error("control", "cannot start the engine: " + e.getMessage());
    }
  }

  /** Connects to the control database once, or refuses naming {@code control.url}. */
  public static void checkControlDatabase(GatewayConfig config) {
    Preflight.controlDatabase(config);
  }

  /** Starts everything; on failure whatever started is stopped again. */
  public static GatewayServer start(GatewayConfig config, Function<String, String> env) {
    // An unreachable control database is the likeliest mistake: refused before anything starts.
    Preflight.controlDatabase(config);
    return start(config, env, WebStart.begin(config.http()));
  }

  /**
   * Starts everything with an HTTP server whose preparation began earlier ({@link WebStart#begin});
   * it listens only once the engine is up.
   */
  public static GatewayServer start(
      GatewayConfig config, Function<String, String> env, WebStart webStart) {
    LateNotifier slackNotifier = new LateNotifier();
    Engine engine;
    try {
      engine =
          startEngine(config, env, config.slack() == null ? List.of() : List.of(slackNotifier));
    } catch (RuntimeException e) {
      webStart.abandon(e);
      throw e;
    }
    SlackApprovalBot slack = null;
    WireProxyServer wire = null;
    try {
      McpServerConfig mcp = mcpConfig(config, engine);
      int capacity = Preflight.upstreams(config, engine);
      MeterRegistry registry = Metrics.globalRegistry;
      Quotas quotas = quotas(config, engine, mcp, capacity, registry);
      Gate gate = engine.gate(new GateMeters(registry));
      if (config.slack() != null) {
        slack =
            new SlackApprovalBot(
                config.slack(),
                JdbcSlackStore.open(engine.control().dataSource(), JdbcSlackStore.DEFAULT_SCHEMA),
                new PolicyApprovers(engine.policy()::policy),
                new AuditTrailSlackAuditLog(engine.audit()),
                Clock.systemUTC());
        slackNotifier.bind(slack.notifier());
        slack.start(engine.approvals());
      }
      wire = new WireProxyServer(config.wire(), gate, quotas).start();
      WebBeans beans =
          new WebBeans(
              gate,
              mcp,
              engine.policy(),
              new AuditSearch(engine.control().dataSource()),
              slack == null ? null : slack.interactionHandler(),
              engine.approvals(),
              ConsoleSettings.of(config, engine),
              engine.audit(),
              quotas);
      ConfigurableApplicationContext web = webStart.finish(beans);
      List<Meter> gauges = gauges(registry, engine, wire);
      log.info(
          "gatehouse listening: wire {}:{}, http {}",
          wire.host(),
          wire.port(),
          ((WebServerApplicationContext) web).getWebServer().getPort());
      return new GatewayServer(engine, slack, wire, web, gauges, quotas);
    } catch (RuntimeException e) {
      webStart.abandon(e);
      if (wire != null) {
        wire.close();
      }
      if (slack != null) {
        slack.close();
      }
      engine.close();
      throw e;
    }
  }

  /** The MCP settings of {@code config}, defaulted from the policy. */
  public static McpServerConfig mcpConfig(GatewayConfig config, Engine engine) {
    GatewayConfig.Mcp m = config.mcp();
    var databases = engine.policy().policy().databases();
    String database;
    if (m != null) {
      database = m.database();
      if (!databases.containsKey(database)) {
        throw config.error(
            "mcp.database",
            "database `" + database + "` is not in the policy; use one of " + databases.keySet());
      }
    } else if (databases.size() == 1) {
      database = databases.keySet().iterator().next();
    } else {
      throw config.error("mcp", "name the database the MCP tools read: `mcp: {database: ...}`");
    }
    List<URI> servers = new ArrayList<>();
    if (m != null) {
      servers.addAll(m.authorizationServers());
    }
    if (servers.isEmpty()) {
      for (IssuerConfig issuer : engine.policy().policy().issuers()) {
        servers.add(URI.create(issuer.issuer()));
      }
    }
    try {
      var builder = McpServerConfig.builder(database, servers);
      if (m != null) {
        builder
            .endpoint(m.endpoint())
            .stateless(m.stateless())
            .resourceUrl(m.resourceUrl())
            .maxRows(m.maxRows())
            .approvalWait(m.approvalWait())
            .sessionIdleTimeout(m.sessionIdleTimeout())
            .sessionMaxLifetime(m.sessionMaxLifetime());
      }
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw config.error("mcp", e.getMessage());
    }
  }

  /**
   * The quotas, their upstream budget below the upstream's capacity: the configured one, or the
   * slots an ordinary role has upstream less the reserve and the MCP pools' maximum.
   */
  static Quotas quotas(
      GatewayConfig config,
      Engine engine,
      McpServerConfig mcp,
      int capacity,
      MeterRegistry registry) {
    QuotaLimits limits = config.quotas();
    var database = engine.policy().policy().databases().get(mcp.database());
    int mcpPools = database == null ? 0 : mcp.poolSize() * database.roles().size();
    int known = capacity > 0 ? capacity : QuotaLimits.FALLBACK_UPSTREAM_CAPACITY;
    int budget = limits.upstreamBudget(known, mcpPools);
    Quotas quotas = new Quotas(limits, budget, new QuotaMeters(registry));
    if (limits.upstreamConnections() > 0) {
      log.info("upstream budget: {} connections (quotas.upstream.maxConnections)", budget);
    } else {
      log.info(
          "upstream budget: {} connections = {} slots upstream{} - reserve {} - MCP pools {}",
          budget,
          known,
          capacity > 0 ? "" : " (assumed: no upstream answered)",
          limits.upstreamReserve(),
          mcpPools);
    }
    log.info(
        "quotas per principal: {} wire sessions, {} MCP sessions, {} running statements, {}"
            + " upstream connections; per upstream role {}",
        limits.wireSessionsPerPrincipal(),
        limits.mcpSessionsPerPrincipal(),
        limits.statementsPerPrincipal(),
        quotas.upstreamPerPrincipal(),
        quotas.upstreamPerRole());
    Gauge.builder("gatehouse.quota.upstream.budget", quotas, Quotas::upstreamBudget)
        .description("upstream connections the wire sessions may hold in all")
        .register(registry);
    return quotas;
  }

  private static List<Meter> gauges(MeterRegistry registry, Engine engine, WireProxyServer wire) {
    List<Meter> gauges = new ArrayList<>();
    gauges.add(
        Gauge.builder("gatehouse.wire.connections", wire, WireProxyServer::connections)
            .description("open client connections of the wire proxy")
            .register(registry));
    gauges.add(
        Gauge.builder("gatehouse.wire.sessions", wire, WireProxyServer::sessions)
            .description("authenticated wire sessions, as wire.maxConnections counts them")
            .register(registry));
    gauges.add(
        Gauge.builder("gatehouse.wire.unauthenticated", wire, WireProxyServer::unauthenticated)
            .description("wire sockets still in startup (quotas.unauthenticatedConnections)")
            .register(registry));
    gauges.add(
        Gauge.builder(
                "gatehouse.approvals.pending",
                engine,
                e -> {
                  try {
                    return e.approvals().pending().size();
                  } catch (RuntimeException ex) {
                    return Double.NaN;
                  }
                })
            .description("approval requests waiting for a decision")
            .register(registry));
    gauges.add(
        Gauge.builder("gatehouse.audit.healthy", engine, e -> e.audit().healthy() ? 1 : 0)
            .description(
                "1 while audit records become durable, 0 while governed statements are refused for"
                    + " want of them")
            .register(registry));
    gauges.add(
        Gauge.builder("gatehouse.audit.committed", engine, e -> e.audit().committed())
            .description("audit records committed by this instance since start")
            .register(registry));
    // The backlog: with local-log, the log not shipped yet; with control-database, the spool and
    // the writer's queue (records not committed yet).
    gauges.add(
        Gauge.builder("gatehouse.audit.lag.records", engine, e -> e.audit().lag().records())
            .description("audit records not yet in the control database")
            .register(registry));
    gauges.add(
        Gauge.builder("gatehouse.audit.lag.seconds", engine, e -> e.audit().lag().seconds())
            .description("age of the oldest audit record not yet in the control database")
            .register(registry));
    gauges.add(
        Gauge.builder("gatehouse.audit.lag.bytes", engine, e -> e.audit().lag().bytes())
            .description("bytes of the local audit log or spool not yet in the control database")
            .register(registry));
    return gauges;
  }

  public int wirePort() {
    return wire.port();
  }

  public String wireHost() {
    return wire.host();
  }

  public int httpPort() {
    return ((WebServerApplicationContext) web).getWebServer().getPort();
  }

  public Engine engine() {
    return engine;
  }

  /** The quotas both front ends count against. */
  public Quotas quotas() {
    return quotas;
  }

  /** Stops taking work, drains HTTP requests and wire sessions, then stops the engine. */
  @Override
  public void close() {
    try {
      web.close();
    } catch (RuntimeException e) {
      log.warn("http server did not stop cleanly", e);
    }
    wire.stop();
    gauges.forEach(Metrics.globalRegistry::remove);
    if (slack != null) {
      slack.close();
    }
    engine.close();
  }
}
