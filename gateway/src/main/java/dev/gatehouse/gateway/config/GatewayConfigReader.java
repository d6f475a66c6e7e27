package dev.gatehouse.gateway.config;

import dev.gatehouse.engine.approval.ApprovalConfig;
import dev.gatehouse.engine.audit.AuditConfig;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.policy.yaml.PolicyException;
import dev.gatehouse.engine.policy.yaml.Problems;
import dev.gatehouse.engine.policy.yaml.YamlObject;
import dev.gatehouse.engine.policy.yaml.YamlTree;
import dev.gatehouse.engine.quota.QuotaLimits;
import dev.gatehouse.wire.server.OAuthBearerConfig;
import dev.gatehouse.wire.server.WireProxyConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads and validates the gateway's YAML config file; every problem is a {@link ConfigException}
 * naming the file, line and field. Nothing is started or connected here.
 */
public final class GatewayConfigReader {

  private static final String TOP =
      "`version`, `policy`, `control`, `audit`, `approvals`, `masking`, `wire`, `http`, `mcp`,"
          + " `slack`, `quotas`";

  private final Function<String, String> env;

  /** A reader that resolves {@code ${env:NAME}} through {@code env}. */
  public GatewayConfigReader(Function<String, String> env) {
    this.env = env;
  }

  public GatewayConfigReader() {
    this(System::getenv);
  }

  /** Reads {@code file}. */
  public GatewayConfig read(Path file) {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(name, 0, "", "no such file; pass an existing file to `--config`");
    } catch (IOException e) {
      throw new ConfigException(name, 0, "", "cannot read the file: " + e.getMessage());
    }
    try {
      return parse(file, new YamlObject(name, YamlTree.parse(name, text), env));
    } catch (PolicyException e) {
      throw ConfigException.from(e);
    }
  }

  private GatewayConfig parse(Path file, YamlObject root) {
    // Each section on its own: a problem is recorded and reading goes on, so one run names every
    // problem of the file; nothing is returned while any is recorded.
    Problems problems = root.problems();
    root.fields(TOP);
    int version = root.integer("version", 1);
    if (version != 1) {
      problems.add(
          root.error("version", "unsupported version " + version + "; write `version: 1`"));
    }
    Map<String, Integer> lines = new HashMap<>();
    Path base = file.toAbsolutePath().getParent();

    Path[] policyFile = {null};
    Duration[] reload = {Duration.ofSeconds(10)};
    problems.attempt(
        () -> {
          YamlObject policy = root.object("policy");
          policy.fields("`file`, `reload`");
          lines.put("policy", policy.line());
          reload[0] = policy.duration("reload", reload[0]);
          policyFile[0] = base.resolve(policy.string("file"));
          if (!Files.isReadable(policyFile[0])) {
            throw policy.error(
                "file", "policy file `" + policyFile[0] + "` is not a readable file");
          }
        });

    ControlDatabase.Settings control = problems.attempt(() -> control(root, lines), null);
    AuditConfig audit = problems.attempt(() -> audit(root.object("audit"), base, lines), null);
    ApprovalConfig approvals =
        problems.attempt(() -> approvals(root.object("approvals", true)), null);

    byte[][] pseudonymKey = {null};
    Map<String, String> catalogRoles = new LinkedHashMap<>();
    problems.attempt(
        () -> {
          YamlObject masking = root.object("masking", true);
          if (masking != null) {
            masking.fields("`pseudonymKey`, `catalogRoles`");
            if (masking.has("pseudonymKey")) {
              pseudonymKey[0] = masking.secret("pseudonymKey").getBytes(StandardCharsets.UTF_8);
              if (pseudonymKey[0].length < 16) {
                throw masking.error(
                    "pseudonymKey", "the pseudonym key must hold at least 16 bytes");
              }
            }
            if (masking.has("catalogRoles")) {
              YamlObject roles = masking.object("catalogRoles");
              for (String db : roles.keys()) {
                catalogRoles.put(db, roles.string(db));
              }
            }
          }
        });

    WireProxyConfig wire =
        problems.attempt(() -> wire(root.object("wire", true), base, lines), null);
    GatewayConfig.Http http = problems.attempt(() -> http(root.object("http", true), lines), null);
    GatewayConfig.Mcp mcp = problems.attempt(() -> mcp(root.object("mcp", true), lines), null);
    QuotaLimits quotas =
        problems.attempt(
            () -> {
              YamlObject q = root.object("quotas", true);
              if (q != null) {
                lines.put("quotas", q.line());
              }
              return QuotasSection.read(q);
            },
            null);
    var slack =
        problems.attempt(
            () -> root.has("slack") ? new SlackSection(root.object("slack")).read() : null, null);
    problems.throwIfAny();
    return new GatewayConfig(
        file,
        policyFile[0],
        reload[0],
        control,
        audit,
        approvals,
        pseudonymKey[0],
        catalogRoles,
        wire,
        http,
        mcp,
        slack,
        quotas,
        lines);
  }

  private static ControlDatabase.Settings control(YamlObject root, Map<String, Integer> lines) {
    YamlObject c = root.object("control");
    c.fields("`url`, `user`, `password`, `schema`, `poolSize`");
    lines.put("control", c.line());
    // Checked later (by connecting), so its line is remembered now.
    lines.put("control.url", c.error("url", "").line());
    return build(
        c,
        "url",
        () ->
            new ControlDatabase.Settings(
                c.string("url"),
                c.string("user"),
                c.has("password") ? c.secret("password") : "",
                c.string("schema", ControlDatabase.DEFAULT_SCHEMA),
                c.integer("poolSize", 8)));
  }

  private AuditConfig audit(YamlObject a, Path base, Map<String, Integer> lines) {
    lines.put("audit", a.line());
    return AuditSection.read(a, base);
  }

  private static ApprovalConfig approvals(YamlObject a) {
    if (a == null) {
      return ApprovalConfig.defaults();
    }
    a.fields("`window`, `expirySweep`, `pollInterval`");
    ApprovalConfig d = ApprovalConfig.defaults();
    Duration window = a.duration("window", d.window());
    Duration sweep = a.duration("expirySweep", d.expirySweep());
    Duration poll = a.duration("pollInterval", d.pollInterval());
    return build(
        a, "window", () -> d.withWindow(window).withIntervals(sweep, poll, d.reconnectBackoff()));
  }

  private static WireProxyConfig wire(YamlObject w, Path base, Map<String, Integer> lines) {
    if (w == null) {
      return WireProxyConfig.defaults("127.0.0.1", WireProxyConfig.DEFAULT_PORT);
    }
    w.fields(
        "`host`, `port`, `tlsCertificate`, `tlsKey`, `plaintextOnLoopback`, `maxConnections`,"
            + " `maxMessageSize`, `startupTimeout`, `upstreamTimeout`, `idleTimeout`,"
            + " `approvalWait`, `drainTimeout`, `eventLoopThreads`, `oauthBearer`");
    lines.put("wire", w.line());
    YamlObject o = w.object("oauthBearer", true);
    OAuthBearerConfig oauthBearer = null;
    if (o != null) {
      o.fields("`issuer`, `scope`, `byDefault`");
      oauthBearer =
          build(
              o,
              "issuer",
              () ->
                  new OAuthBearerConfig(
                      o.string("issuer"), o.string("scope", null), o.bool("byDefault", false)));
    }
    OAuthBearerConfig bearer = oauthBearer;
    String cert = w.string("tlsCertificate", null);
    String key = w.string("tlsKey", null);
    return build(
        w,
        "port",
        () ->
            new WireProxyConfig(
                w.string("host", "127.0.0.1"),
                w.integer("port", WireProxyConfig.DEFAULT_PORT),
                cert == null ? null : base.resolve(cert),
                key == null ? null : base.resolve(key),
                w.bool("plaintextOnLoopback", true),
                w.integer("maxConnections", 0),
                w.integer("maxMessageSize", 0),
                w.duration("startupTimeout", null),
                w.duration("upstreamTimeout", null),
                w.duration("idleTimeout", null),
                w.duration("approvalWait", null),
                w.duration("drainTimeout", null),
                w.integer("eventLoopThreads", 0),
                null,
                bearer));
  }

  private static GatewayConfig.Http http(YamlObject h, Map<String, Integer> lines) {
    if (h == null) {
      return new GatewayConfig.Http("127.0.0.1", 8080);
    }
    h.fields("`host`, `port`, `metricsToken`");
    lines.put("http", h.line());
    int port = h.integer("port", 8080);
    if (port < 0 || port > 65535) {
      throw h.error("port", "port " + port + " is out of range; use 0 to 65535");
    }
    String metricsToken = h.has("metricsToken") ? h.secret("metricsToken") : null;
    if (metricsToken != null && metricsToken.strip().length() < 16) {
      throw h.error("metricsToken", "the metrics token must hold at least 16 characters");
    }
    return new GatewayConfig.Http(h.string("host", "127.0.0.1"), port, metricsToken);
  }

  private static GatewayConfig.Mcp mcp(YamlObject m, Map<String, Integer> lines) {
    if (m == null) {
      return null;
    }
    m.fields(
        "`database`, `endpoint`, `stateless`, `resourceUrl`, `authorizationServers`, `maxRows`,"
            + " `approvalWait`, `sessionIdleTimeout`, `sessionMaxLifetime`");
    lines.put("mcp", m.line());
    List<URI> servers = new ArrayList<>();
    for (String s : m.strings("authorizationServers")) {
      servers.add(url(m, "authorizationServers", s));
    }
    String resource = m.string("resourceUrl", null);
    Duration idle = m.duration("sessionIdleTimeout", null);
    if (idle != null && idle.isZero()) {
      throw m.error(
          "sessionIdleTimeout",
          "`0s` is not allowed: an MCP session its client forgets must end; give a duration such"
              + " as `30m`");
    }
    return new GatewayConfig.Mcp(
        m.string("database"),
        m.string("endpoint", "/mcp"),
        m.bool("stateless", false),
        resource == null ? null : url(m, "resourceUrl", resource),
        servers,
        m.integer("maxRows", 0),
        m.duration("approvalWait", null),
        idle,
        m.duration("sessionMaxLifetime", null));
  }

  private static URI url(YamlObject section, String field, String value) {
    try {
      URI uri = new URI(value);
      if ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below, in the file's words rather than the parser's
    }
    throw section.error(field, "expected an http or https URL, found `" + value + "`");
  }

  /**
   * Runs a component's own validation and reports its refusal at {@code field} of {@code section}.
   */
  static <T> T build(YamlObject section, String field, Supplier<T> factory) {
    try {
      return factory.get();
    } catch (PolicyException e) {
      throw e;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw section.error(field, e.getMessage() == null ? "invalid value" : e.getMessage());
    }
  }
}
