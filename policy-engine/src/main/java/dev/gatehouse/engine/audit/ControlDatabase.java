package dev.gatehouse.engine.audit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The control database that holds the audit trail and approval requests, shared by every gateway
 * instance. Governed principals never reach it through the gateway. Its schema is migrated by
 * Flyway at start.
 */
public final class ControlDatabase implements AutoCloseable {

  /** The schema used when none is configured. */
  public static final String DEFAULT_SCHEMA = "gatehouse_audit";

  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ControlDatabase.class);

  private final Settings settings;
  private final HikariDataSource dataSource;

  /**
   * Where the control database is.
   *
   * @param jdbcUrl {@code jdbc:postgresql://host:port/database}
   * @param schema the schema holding Gatehouse's tables (lower case identifier)
   * @param poolSize connections kept for the writer, searches and approvals
   */
  public record Settings(
      String jdbcUrl, String user, String password, String schema, int poolSize) {
    public Settings {
      Objects.requireNonNull(jdbcUrl, "control database `url` is required");
      if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "control database `url` must start with `jdbc:postgresql:`, got `" + jdbcUrl + "`");
      }
      schema = schema == null ? DEFAULT_SCHEMA : schema;
      if (!SCHEMA.matcher(schema).matches()) {
        throw new IllegalArgumentException(
            "control database `schema` `" + schema + "` must be a lower-case identifier");
      }
      if (poolSize < 2 || poolSize > 64) {
        throw new IllegalArgumentException(
            "control database `pool-size` must be between 2 and 64, got " + poolSize);
      }
    }

    /**
     * True when {@code upstreamJdbcUrl} names this same database (host, port and name), which the
     * gateway must refuse: governed principals never reach the control database.
     */
    public boolean sameDatabaseAs(String upstreamJdbcUrl) {
      Properties mine = org.postgresql.Driver.parseURL(jdbcUrl, new Properties());
      Properties theirs = org.postgresql.Driver.parseURL(upstreamJdbcUrl, new Properties());
      if (mine == null || theirs == null) {
        return false;
      }
      return mine.getProperty("PGHOST", "").equalsIgnoreCase(theirs.getProperty("PGHOST", ""))
          && mine.getProperty("PGPORT", "").equals(theirs.getProperty("PGPORT", ""))
          && mine.getProperty("PGDBNAME", "").equals(theirs.getProperty("PGDBNAME", ""));
    }

    public static Settings of(String jdbcUrl, String user, String password) {
      return new Settings(jdbcUrl, user, password, DEFAULT_SCHEMA, 8);
    }

    public Settings withSchema(String newSchema) {
      return new Settings(jdbcUrl, user, password, newSchema, poolSize);
    }

    @Override
    public String toString() {
      return "Settings[" + jdbcUrl + ", user=" + user + ", schema=" + schema + "]";
    }
  }

  private volatile boolean migrated;

  private ControlDatabase(Settings settings, HikariDataSource dataSource) {
    this.settings = settings;
    this.dataSource = dataSource;
  }

  /** Connects and migrates the schema; fails when the control database cannot be reached. */
  public static ControlDatabase open(Settings settings) {
    ControlDatabase db = new ControlDatabase(settings, pool(settings));
    try {
      db.ensureMigrated();
    } catch (SQLException e) {
      db.close();
      throw new IllegalStateException(e.getMessage(), e);
    }
    return db;
  }

  /**
   * Like {@link #open}, but starts even when the control database is down: the schema is migrated
   * on first use. Until then the audit trail spools and refuses governed statements (fail closed)
   * while fail-open databases keep working, so a gateway can restart during an outage.
   */
  public static ControlDatabase connect(Settings settings) {
    ControlDatabase db = new ControlDatabase(settings, pool(settings));
    try {
      db.ensureMigrated();
    } catch (SQLException e) {
      log.warn("control database not ready, will retry on use: {}", e.getMessage());
    }
    return db;
  }

  /** Migrates the schema once; cheap after the first success. */
  public void ensureMigrated() throws SQLException {
    if (migrated) {
      return;
    }
    synchronized (this) {
      if (migrated) {
        return;
      }
      try {
        // Its own connections, not the pool's: the pool waits only 500 ms for a connection (so
        // statements fail closed promptly), which a migration on a busy server can exceed.
        Flyway.configure()
            .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
            .jdbcProperties(migrationProperties(settings))
            .schemas(settings.schema())
            .defaultSchema(settings.schema())
            .createSchemas(true)
            .locations("classpath:db/gatehouse")
            .load()
            .migrate();
        migrated = true;
      } catch (FlywayException e) {
        throw new SQLException(
            "cannot prepare the control database at `"
                + settings.jdbcUrl()
                + "`: "
                + e.getMessage(),
            "08001",
            e);
      }
    }
  }

  private static HikariDataSource pool(Settings settings) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(settings.jdbcUrl());
    hc.setUsername(settings.user());
    hc.setPassword(settings.password());
    hc.setSchema(settings.schema());
    hc.setMaximumPoolSize(settings.poolSize());
    hc.setMinimumIdle(1);
    hc.setPoolName("gatehouse-control");
    // Short timeouts: a control database that does not answer must make statements fail closed
    // promptly, not hang them.
    hc.setConnectionTimeout(500);
    hc.setValidationTimeout(250);
    hc.setInitializationFailTimeout(-1);
    driverProperties(settings).forEach((k, v) -> hc.addDataSourceProperty((String) k, v));
    return new HikariDataSource(hc);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Settings settings() {
    return settings;
  }

  /** A connection outside the pool, e.g. for LISTEN, which must live as long as its listener. */
  public Connection dedicatedConnection() throws SQLException {
    Properties p = driverProperties(settings);
    if (settings.user() != null) {
      p.setProperty("user", settings.user());
    }
    if (settings.password() != null) {
      p.setProperty("password", settings.password());
    }
    // Shorter than the pool's: a listener must notice a hung server soon (see ApprovalListener).
    p.setProperty("socketTimeout", "5");
    Connection c = DriverManager.getConnection(settings.jdbcUrl(), p);
    c.setSchema(settings.schema());
    return c;
  }

  private static Map<String, String> migrationProperties(Settings settings) {
    Map<String, String> m = new HashMap<>();
    driverProperties(settings).forEach((k, v) -> m.put((String) k, (String) v));
    m.put("socketTimeout", "60"); // a migration may lock and rewrite tables
    return m;
  }

  private static Properties driverProperties(Settings settings) {
    Properties p = new Properties();
    p.setProperty("connectTimeout", "2");
    p.setProperty("loginTimeout", "3");
    p.setProperty("socketTimeout", "15");
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("reWriteBatchedInserts", "true");
    p.setProperty("ApplicationName", "gatehouse-control");
    return p;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
