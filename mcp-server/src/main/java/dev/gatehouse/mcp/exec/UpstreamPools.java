package dev.gatehouse.mcp.exec;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.UpstreamTarget;
import dev.gatehouse.mcp.McpServerConfig;
import java.sql.Connection;
import java.sql.SQLException;
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

  /** A connection to {@code database} as {@code role}, in autocommit-off mode. */
  public Connection connect(String database, String role) throws SQLException {
    if (role == null || role.isBlank()) {
      throw new SQLException("the decision names no upstream role", "42501");
    }
    HikariDataSource pool = pools.computeIfAbsent(new Key(database, role), this::open);
    return pool.getConnection();
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
