package dev.gatehouse.gateway.quickstart;

import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import dev.gatehouse.gateway.serve.GatewayServer;
import dev.gatehouse.gateway.serve.WebStart;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything a newcomer needs on one machine: an embedded PostgreSQL with the shop database, a
 * local OIDC issuer, the reference policy, a control database and the gateway itself. No Docker, no
 * network beyond loopback. Files (config, policy, secrets, spool) go to one directory.
 */
public final class Quickstart implements AutoCloseable {

  /**
   * What the quickstart started, for the instructions, {@code gatehouse.env} and the JSON file.
   *
   * @param stdioConfig a copy of {@code config} with its own audit instance id and spool, for
   *     {@code mcp-stdio} beside the running quickstart
   * @param consoleUrl the web console's address, or null while the gateway serves none
   */
  public record Running(
      Path directory,
      Path config,
      Path stdioConfig,
      String wireHost,
      int wirePort,
      int httpPort,
      String database,
      Map<String, String> tokens,
      String consoleUrl) {}

  private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Z_]+)}");

  private final GatewayServer server;
  private final TestPostgres pg;
  private final Running running;

  private Quickstart(GatewayServer server, TestPostgres pg, Running running) {
    this.server = server;
    this.pg = pg;
    this.running = running;
  }

  /** Starts everything on the given ports (0: any free port) with files under {@code dir}. */
  public static Quickstart start(Path dir, int wirePort, int httpPort) throws IOException {
    // The MCP endpoint's URL is the audience of the tokens OAuth clients get for it, and the
    // policy written below names it: the HTTP port must be known before the server binds it.
    int port = httpPort != 0 ? httpPort : freePort();
    // The issuer and the HTTP server get ready while PostgreSQL starts: together they take most
    // of the start-up time. The server listens only once the engine is up.
    WebStart web = WebStart.begin(new GatewayConfig.Http("127.0.0.1", port));
    try {
      return start(dir, wirePort, port, web);
    } catch (IOException | RuntimeException e) {
      web.abandon(e);
      throw e;
    }
  }

  private static Quickstart start(Path dir, int wirePort, int httpPort, WebStart web)
      throws IOException {
    var issuerStart = CompletableFuture.supplyAsync(TestIssuer::get);
    TestPostgres pg = TestPostgres.get();
    TestIssuer issuer = issuerStart.join();
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    try {
      // Passwords and keys are readable by this user only.
      Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory keeps its default permissions
    }

    // The reference policy reads its environment; the quickstart gives it files instead, so that
    // every command run later with the same config sees the same values. Secrets stay out of YAML.
    Map<String, String> values = new LinkedHashMap<>();
    values.put("GATEHOUSE_ISSUER_URL", issuer.issuerUrl());
    values.put("GATEHOUSE_PG_HOST", pg.host());
    values.put("GATEHOUSE_PG_PORT", String.valueOf(pg.port()));
    values.put("GATEHOUSE_READER_PASSWORD", pg.reader().password());
    values.put("GATEHOUSE_READER_CLEARED_PASSWORD", pg.readerCleared().password());
    values.put("GATEHOUSE_WRITER_PASSWORD", pg.writer().password());
    values.put("GATEHOUSE_OWNER_PASSWORD", pg.owner().password());
    String reference = resource("examples/reference-policy.yaml");
    Matcher m = ENV.matcher(reference);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      if (!values.containsKey(name)) {
        // Only the policy's comments name other variables, e.g. `${env:NAME}`.
        m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
        continue;
      }
      Path secret = dir.resolve("secrets").resolve(name);
      Files.writeString(secret, values.get(name), StandardCharsets.UTF_8);
      m.appendReplacement(out, Matcher.quoteReplacement("${file:" + secret + "}"));
    }
    m.appendTail(out);
    // OAuth clients (MCP authorization) get tokens for the MCP endpoint's URL (RFC 8707): the
    // issuer issues them for it, and the policy accepts it as an audience beside `gatehouse`.
    URI mcpResource = URI.create("http://127.0.0.1:" + httpPort + "/mcp");
    issuer.allowResource(mcpResource);
    String policy = withAudience(out.toString(), mcpResource.toString());
    Files.writeString(dir.resolve("policy.yaml"), policy, StandardCharsets.UTF_8);

    SecureRandom random = new SecureRandom();
    Files.writeString(dir.resolve("secrets/audit-key"), randomBase64(random, 32));
    Files.writeString(dir.resolve("secrets/pseudonym-key"), randomBase64(random, 32));
    String control = pg.createEmptyDatabase("gatehouse_control");
    Path config = dir.resolve("gatehouse.yaml");
    writeConfig(config, pg, control, "quickstart", "spool", wirePort, httpPort, httpPort);
    // mcp-stdio beside the quickstart: the same everything but its own hash chain and spool
    // (a spool belongs to one process at a time); it listens on nothing.
    Path stdioConfig = dir.resolve("gatehouse-stdio.yaml");
    writeConfig(stdioConfig, pg, control, "quickstart-stdio", "spool-stdio", 0, 0, httpPort);

    GatewayConfig cfg = new GatewayConfigReader().read(config);
    GatewayServer server = GatewayServer.start(cfg, System::getenv, web);
    Map<String, String> tokens = new LinkedHashMap<>();
    for (ReferencePrincipal p : ReferencePrincipal.values()) {
      tokens.put(p.subject(), issuer.tokenFor(p));
    }
    return new Quickstart(
        server,
        pg,
        new Running(
            dir,
            config,
            stdioConfig,
            server.wireHost(),
            server.wirePort(),
            server.httpPort(),
            TestPostgres.SHOP,
            tokens,
            consoleUrl(server)));
  }

  /** The web console's address: the gateway's HTTP server always serves it under /console. */
  private static String consoleUrl(GatewayServer server) {
    return "http://127.0.0.1:" + server.httpPort() + "/console";
  }

  private static void writeConfig(
      Path file,
      TestPostgres pg,
      String control,
      String instanceId,
      String spool,
      int wirePort,
      int httpPort,
      int resourcePort)
      throws IOException {
    Files.writeString(
        file,
        """
        # Written by `gatehouse quickstart`; see examples/gatehouse.yaml for every setting.
        version: 1
        policy:
          file: policy.yaml
          reload: 5s
        control:
          url: %s
          user: %s
          schema: gatehouse_audit
        audit:
          instanceId: %s
          key: ${file:%s}
          spoolDirectory: %s
          params: hmac
          log:
            directory: %s-log
        masking:
          pseudonymKey: ${file:%s}
          catalogRoles:
            shop: gatehouse_reader
        wire:
          host: 127.0.0.1
          port: %d
          plaintextOnLoopback: true
          approvalWait: 15m
        http:
          host: 127.0.0.1
          port: %d
        mcp:
          database: shop
          approvalWait: 5s
          resourceUrl: http://127.0.0.1:%d/mcp
        """
            .formatted(
                pg.jdbcUrl(control),
                pg.adminUser(),
                instanceId,
                file.resolveSibling("secrets/audit-key"),
                spool,
                spool,
                file.resolveSibling("secrets/pseudonym-key"),
                wirePort,
                httpPort,
                resourcePort),
        StandardCharsets.UTF_8);
  }

  /** The reference policy's issuer, accepting {@code audience} too. */
  static String withAudience(String policy, String audience) {
    String line = "    audiences: [gatehouse]";
    int at = policy.indexOf(line);
    if (at < 0 || policy.indexOf(line, at + 1) >= 0) {
      throw new IllegalStateException(
          "the reference policy no longer has one `" + line.strip() + "` line to extend");
    }
    return policy.replace(line, "    audiences: [gatehouse, \"" + audience + "\"]");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public Running running() {
    return running;
  }

  /**
   * Stops the gateway, then PostgreSQL when this process owns it ({@code gatehouse} run as a
   * command sets {@link TestPostgres#CALLER_STOPS_PROPERTY}; tests share theirs): nothing is left
   * talking to a server that is gone.
   */
  @Override
  public void close() {
    try {
      server.close();
    } finally {
      if (Boolean.getBoolean(TestPostgres.CALLER_STOPS_PROPERTY)) {
        pg.stop();
      }
    }
  }

  private static String randomBase64(SecureRandom random, int bytes) {
    byte[] key = new byte[bytes];
    random.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static String resource(String name) {
    try (InputStream in = Quickstart.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
