package dev.gatehouse.mcp.exec;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import dev.gatehouse.mcp.config.McpServerConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream connection pools, one per (database, upstream role), created on first use from the
 * gate's upstream targets and sized by the configuration. Callers' tokens never reach these
 * connections: each authenticates as its upstream role.
 */
public final class UpstreamPools implements AutoCloseable {

  private record Key(String database, String role) {}

  private final Gate gate;
  private final McpServerConfig config;
  private final Map<Key, HikariDataSource> pools = new ConcurrentHashMap<>();
  private final SessionSettings sessions = new SessionSettings();

  public UpstreamPools(Gate gate, McpServerConfig config) {
    this.gate = gate;
    this.config = config;
  }

  /**
   * A connection to {@code database} as {@code role}, in autocommit-off mode.
   *
   * @throws UpstreamUnavailable when none is free within {@code poolConnectionTimeout}
   */
  public Connection connect(String database, String role) throws SQLException {
    if (role == null || role.isBlank()) {
      throw new SQLException("the decision names no upstream role", "42501");
    }
    HikariDataSource pool = pools.computeIfAbsent(new Key(database, role), this::open);
    try {
      return pool.getConnection();
    } catch (SQLTransientConnectionException timeout) {
      var bean = pool.getHikariPoolMXBean();
      boolean full = bean != null && bean.getActiveConnections() >= config.poolSize();
      throw UpstreamUnavailable.of(
          database,
          role,
          hostAndPort(pool),
          config.poolConnectionTimeout(),
          full,
          config.poolSize(),
          timeout);
    }
  }

  private static String hostAndPort(HikariDataSource pool) {
    String url = pool.getJdbcUrl();
    String rest = url.substring("jdbc:postgresql://".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  private HikariDataSource open(Key key) {
    UpstreamTarget target = gate.upstream(key.database(), key.role());
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("gatehouse-mcp-" + key.database() + "-" + key.role());
    hikari.setJdbcUrl(
        "jdbc:postgresql://" + target.host() + ":" + target.port() + "/" + target.database());
    hikari.setUsername(target.user());
    hikari.setPassword(target.password());
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setMinimumIdle(0);
    hikari.setConnectionTimeout(config.poolConnectionTimeout().toMillis());
    // Opened lazily: a full or silent upstream is a timeout of the call that needs it (reported
    // as unavailable), never a failure to create the pool.
    hikari.setInitializationFailTimeout(-1);
    hikari.setAutoCommit(false);
    // Text format only: cells reach the mask plan exactly as PostgreSQL renders them, and the
    // result an agent sees equals what psql would show.
    hikari.addDataSourceProperty("binaryTransfer", "false");
    // Parameters are sent untyped, so PostgreSQL infers their types as it does for `$n`.
    hikari.addDataSourceProperty("stringtype", "unspecified");
    hikari.addDataSourceProperty("ApplicationName", "gatehouse-mcp");
    hikari.addDataSourceProperty("readOnlyMode", "transaction");
    return new HikariDataSource(hikari);
  }

  /** What each pooled session was last reset to (see {@link StatementRunner}). */
  SessionSettings sessions() {
    return sessions;
  }

  /** Pools currently open, for metrics and tests. */
  public int openPools() {
    return pools.size();
  }

  @Override
  public void close() {
    pools.values().forEach(HikariDataSource::close);
    pools.clear();
  }
}
