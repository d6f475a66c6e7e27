package dev.gatehouse.bench;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What every benchmark part stands on: its own PostgreSQL (durable settings, as in production), a
 * real OIDC issuer, a private copy of the {@code shop} database that the gateway governs, a control
 * database, and any number of packaged gateways ({@code gatehouse.jar serve}) as child processes,
 * each configured from the documented examples with the reference policy, audit and masking on.
 */
public final class BenchStack implements AutoCloseable {

  /** The bearer token the bench's gateways want on {@code /actuator/prometheus}. */
  static final String METRICS_TOKEN = "bench-metrics-token";

  /** Lets {@code etl-nightly} run pgbench's tables, as a load test of the nightly job would. */
  static final String PGBENCH_RULE =
      """
        - id: etl-nightly-pgbench
          description: the load test of the nightly job
          match:
            groups: [etl]
          grants:
            - database: shop
              classes: [read, write, transaction, session]
              read: ["public.*", "pg_catalog.*"]
              write: ["public.pgbench_*"]
              upstreamRole: gatehouse_writer
      """;

  /** Masking rules for the large-result table, beside the reference policy's. */
  static final String BENCH_MASKING_RULES =
      """
          - id: bench-contacts-email
            column: app.bench_contacts.email
            strategy: email
          - id: bench-contacts-phone
            column: app.bench_contacts.phone
            strategy: redact
      """;

  private final TestPostgres pg;
  private final TestIssuer issuer;
  private final String database;
  private final String controlDatabase;
  private final Path workDir;
  private final List<Gateway> gateways = new ArrayList<>();

  private BenchStack(
      TestPostgres pg, TestIssuer issuer, String database, String controlDatabase, Path dir) {
    this.pg = pg;
    this.issuer = issuer;
    this.database = database;
    this.controlDatabase = controlDatabase;
    this.workDir = dir;
  }

  /**
   * Starts PostgreSQL (embedded unless {@code GATEHOUSE_TEST_PG_URL} names a server) with fsync,
   * synchronous commit and full page writes on, the issuer, and the databases.
   */
  public static BenchStack start() throws Exception {
    // The test fixture trades durability for speed; a benchmark measures what production pays.
    System.setProperty(TestPostgres.DURABLE_PROPERTY, "true");
    TestPostgres pg = TestPostgres.get();
    // What was asked for is not evidence of what is in force: a server this JVM had already
    // started, or an external one, may run without durability; refuse to measure it.
    try (Connection c = pg.connectAsAdmin("postgres");
        Statement s = c.createStatement()) {
      for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        requireOn(s, setting);
      }
    }
    TestIssuer issuer = TestIssuer.get();
    String database = pg.createShopDatabase("bench_shop");
    String control = pg.createEmptyDatabase("bench_control");
    Path dir = Files.createTempDirectory("gatehouse-bench-");
    return new BenchStack(pg, issuer, database, control, dir);
  }

  public TestPostgres pg() {
    return pg;
  }

  /** The real database behind the logical name {@code shop}. */
  public String database() {
    return database;
  }

  /** The control database every gateway of the stack shares: audit trail and approvals. */
  public String controlDatabase() {
    return controlDatabase;
  }

  public String token(ReferencePrincipal principal) {
    return issuer.tokenFor(principal);
  }

  /** Runs statements as the superuser in the governed database. */
  public void admin(String... sql) throws SQLException {
    try (Connection c = pg.connectAsAdmin(database);
        Statement s = c.createStatement()) {
      for (String each : sql) {
        s.execute(each);
      }
    }
  }

  /**
   * Starts {@code gatehouse.jar serve} with its own instance id and spool; returns once it listens.
   *
   * @param jvmArgs e.g. {@code -Xmx256m}
   */
  public Gateway gateway(String instanceId, List<String> jvmArgs) throws Exception {
    return gateway(instanceId, jvmArgs, UnaryOperator.identity(), Map.of());
  }

  /**
   * As {@link #gateway(String, List)}, with a last edit of the config text and environment
   * variables that replace the stack's (e.g. the upstream's port, to put a proxy in between).
   */
  public Gateway gateway(
      String instanceId,
      List<String> jvmArgs,
      UnaryOperator<String> configEdit,
      Map<String, String> envOverrides)
      throws Exception {
    Path dir = Files.createDirectories(workDir.resolve(instanceId));
    Files.writeString(dir.resolve("reference-policy.yaml"), policy());
    Path config =
        Files.writeString(dir.resolve("gatehouse.yaml"), configEdit.apply(config(instanceId)));
    Map<String, String> env = env();
    env.putAll(envOverrides);
    Gateway g = Gateway.start(dir, config, env, jvmArgs);
    gateways.add(g);
    return g;
  }

  String policy() throws IOException {
    String reference = resource("examples/reference-policy.yaml");
    String policy =
        reference
            .replace("    database: shop\n", "    database: " + database + "\n")
            .replace("\nrules:\n", "\nrules:\n" + PGBENCH_RULE)
            .replace(
                "  rules:\n    - id: customers-email\n",
                "  rules:\n" + BENCH_MASKING_RULES + "    - id: customers-email\n");
    requireChanged(reference, policy, database, "etl-nightly-pgbench", "bench-contacts-email");
    return policy;
  }

  String config(String instanceId) throws IOException {
    String example = resource("examples/gatehouse.yaml");
    String config =
        example
            .replace("jdbc:postgresql://127.0.0.1:5432/gatehouse", pg.jdbcUrl(controlDatabase))
            .replace("  user: gatehouse\n", "  user: " + pg.adminUser() + "\n")
            .replace("instanceId: gatehouse-1", "instanceId: " + instanceId)
            .replace("  port: 6432", "  port: 0")
            .replace("  port: 8080", "  port: 0")
            .replace("drainTimeout: 30s", "drainTimeout: 1s")
            .replace("synchronousCommit: true", "synchronousCommit: " + auditSynchronousCommit())
            .replace("durability: local-log", "durability: " + auditDurability());
    // Slack is optional and unreachable here; approvals go through the admin API.
    int slack = config.indexOf("\nslack:");
    if (slack < 0) {
      throw new IllegalStateException("examples/gatehouse.yaml has no slack section any more");
    }
    config = config.substring(0, slack + 1);
    String loops = System.getenv("GATEHOUSE_BENCH_EVENT_LOOPS");
    if (loops != null && !loops.isBlank()) {
      config =
          config.replace(
              "  eventLoopThreads: 0 ",
              "  eventLoopThreads: " + Integer.parseInt(loops.trim()) + " ");
    }
    requireChanged(example, config, controlDatabase, "instanceId: " + instanceId, "port: 0");
    return config;
  }

  /**
   * The gateways' {@code audit.synchronousCommit}: true (the default) unless {@code
   * GATEHOUSE_BENCH_AUDIT_SYNCHRONOUS_COMMIT=false}.
   */
  public static boolean auditSynchronousCommit() {
    return !"false".equalsIgnoreCase(System.getenv("GATEHOUSE_BENCH_AUDIT_SYNCHRONOUS_COMMIT"));
  }

  /**
   * The gateways' {@code audit.durability}: {@code local-log} (the example's default) unless {@code
   * GATEHOUSE_BENCH_AUDIT_DURABILITY=control-database}.
   */
  public static String auditDurability() {
    String d = System.getenv("GATEHOUSE_BENCH_AUDIT_DURABILITY");
    return d == null || d.isBlank() ? "local-log" : d.strip();
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("GATEHOUSE_CONTROL_PASSWORD", pg.adminPassword());
    env.put("GATEHOUSE_AUDIT_KEY", Base64.getEncoder().encodeToString(new byte[32]));
    env.put("GATEHOUSE_PSEUDONYM_KEY", "0123456789abcdef0123456789abcdef");
    env.put("GATEHOUSE_ISSUER_URL", issuer.issuerUrl());
    env.put("GATEHOUSE_PG_HOST", pg.host());
    env.put("GATEHOUSE_PG_PORT", String.valueOf(pg.port()));
    env.put("GATEHOUSE_READER_PASSWORD", pg.reader().password());
    env.put("GATEHOUSE_READER_CLEARED_PASSWORD", pg.readerCleared().password());
    env.put("GATEHOUSE_WRITER_PASSWORD", pg.writer().password());
    env.put("GATEHOUSE_OWNER_PASSWORD", pg.owner().password());
    // the example config protects /actuator/prometheus with a bearer token
    env.put("GATEHOUSE_METRICS_TOKEN", METRICS_TOKEN);
    return env;
  }

  private static void requireOn(Statement s, String setting) throws SQLException {
    // The reload reaches this session asynchronously.
    for (int i = 0; i < 20 && !isOn(s, setting); i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try (var rs =
        s.executeQuery("SELECT setting, source FROM pg_settings WHERE name = '" + setting + "'")) {
      rs.next();
      if (!"on".equals(rs.getString(1))) {
        throw new IllegalStateException(
            "the bench's postgres runs with `"
                + setting
                + "` off (set by "
                + rs.getString(2)
                + "); its figures would not be durable ones");
      }
    }
  }

  private static boolean isOn(Statement s, String setting) throws SQLException {
    try (var rs = s.executeQuery("SELECT current_setting('" + setting + "')")) {
      rs.next();
      return "on".equals(rs.getString(1));
    }
  }

  private static void requireChanged(String before, String after, String... mustContain) {
    for (String s : mustContain) {
      if (!after.contains(s) || before.contains(s)) {
        throw new IllegalStateException(
            "the documented example changed shape; the bench could not put `" + s + "` in it");
      }
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = BenchStack.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("`" + name + "` is not on the classpath (testkit carries examples/)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    for (Gateway g : gateways) {
      g.stop();
    }
  }
}
