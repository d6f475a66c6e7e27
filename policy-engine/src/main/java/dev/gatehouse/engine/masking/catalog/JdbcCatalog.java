package dev.gatehouse.engine.masking.catalog;

import dev.gatehouse.engine.sql.model.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The catalog of each database read over JDBC, cached. A miss loads the one relation or type it
 * asks for; everything cached for a database is dropped after {@code maxAge} or on {@link
 * #invalidate} (the front end calls it after DDL), so schema changes are seen.
 */
public final class JdbcCatalog implements Catalog {

  private static final String RELATION_BY_OID =
      "SELECT c.oid, n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c"
          + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ?";
  private static final String OID_BY_NAME =
      "SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
          + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?";
  private static final String OIDS_NAMED =
      "SELECT c.oid FROM pg_catalog.pg_class c WHERE c.relname = ? ORDER BY c.oid";
  private static final String COLUMNS =
      "SELECT attnum, attname, attisdropped FROM pg_catalog.pg_attribute"
          + " WHERE attrelid = ? AND attnum > 0 ORDER BY attnum";
  private static final String TYPE =
      "SELECT typtype, typcategory, typelem, typbasetype FROM pg_catalog.pg_type WHERE oid = ?";
  // What generation() gives while no snapshot of a database is loaded.
  private static final Object NO_SNAPSHOT = new Object();

  private final Function<String, Connection> connections;
  private final long maxAgeNanos;
  private final LongSupplier clock;
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

  /**
   * @param connections opens a connection to a logical database (closed after each use)
   * @param maxAge how long cached entries are trusted
   */
  public JdbcCatalog(Function<String, Connection> connections, Duration maxAge) {
    this(connections, maxAge, System::nanoTime);
  }

  JdbcCatalog(Function<String, Connection> connections, Duration maxAge, LongSupplier clock) {
    this.connections = connections;
    this.maxAgeNanos = maxAge.toNanos();
    this.clock = clock;
  }

  private record Snapshot(
      long loadedAt,
      Map<Integer, Optional<RelationInfo>> byOid,
      Map<TableRef, Optional<RelationInfo>> byName,
      Map<String, List<RelationInfo>> named,
      Map<Integer, Optional<TypeInfo>> types) {}

  private Snapshot snapshot(String database) {
    long now = clock.getAsLong();
    Snapshot current = snapshots.get(database);
    if (current != null && now - current.loadedAt() <= maxAgeNanos) {
      return current; // the common case: no lock on the hot path of every planned result
    }
    return snapshots.compute(
        database,
        (db, s) ->
            s == null || now - s.loadedAt() > maxAgeNanos
                ? new Snapshot(
                    now,
                    new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>())
                : s);
  }

  /**
   * The snapshot the catalog answers from: its entries, once loaded, never change, and a change of
   * schema ({@link #invalidate}) or age replaces it. A snapshot past its age gives null, so that
   * what was decided on it is decided again (and the snapshot reloaded); {@link #NO_SNAPSHOT} when
   * none is loaded, for which no answer was given.
   */
  @Override
  public Object generation(String database) {
    Snapshot current = snapshots.get(database);
    if (current == null) {
      return NO_SNAPSHOT;
    }
    return clock.getAsLong() - current.loadedAt() <= maxAgeNanos ? current : null;
  }

  @Override
  public RelationInfo relation(String database, int oid) {
    Snapshot s = snapshot(database);
    Optional<RelationInfo> cached = s.byOid().get(oid);
    if (cached == null) {
      cached = Optional.ofNullable(withConnection(database, c -> loadRelation(c, oid)));
      s.byOid().put(oid, cached);
      cached.ifPresent(r -> s.byName().put(r.name(), Optional.of(r)));
    }
    return cached.orElse(null);
  }

  @Override
  public RelationInfo relation(String database, TableRef name) {
    Snapshot s = snapshot(database);
    Optional<RelationInfo> cached = s.byName().get(name);
    if (cached == null) {
      Integer oid =
          withConnection(
              database,
              c -> {
                try (PreparedStatement ps = c.prepareStatement(OID_BY_NAME)) {
                  ps.setString(1, name.schema());
                  ps.setString(2, name.name());
                  try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? (int) rs.getLong(1) : null;
                  }
                }
              });
      cached = oid == null ? Optional.empty() : Optional.ofNullable(relation(database, oid));
      s.byName().put(name, cached);
    }
    return cached.orElse(null);
  }

  @Override
  public RelationInfo relationNow(String database, TableRef name) {
    Snapshot s = snapshot(database);
    Optional<RelationInfo> cached = s.byName().get(name);
    if (cached != null && cached.isEmpty()) {
      s.byName().remove(name, cached);
    }
    return relation(database, name);
  }

  @Override
  public List<RelationInfo> relationsNamed(String database, String name) {
    Snapshot s = snapshot(database);
    List<RelationInfo> cached = s.named().get(name);
    if (cached == null) {
      List<Integer> oids =
          withConnection(
              database,
              c -> {
                List<Integer> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(OIDS_NAMED)) {
                  ps.setString(1, name);
                  try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                      out.add((int) rs.getLong(1));
                    }
                  }
                }
                return out;
              });
      List<RelationInfo> found = new ArrayList<>();
      for (int oid : oids) {
        RelationInfo r = relation(database, oid);
        if (r != null) {
          found.add(r);
        }
      }
      cached = List.copyOf(found);
      s.named().put(name, cached);
    }
    return cached;
  }

  @Override
  public TypeInfo type(String database, int oid) {
    Snapshot s = snapshot(database);
    Optional<TypeInfo> cached = s.types().get(oid);
    if (cached == null) {
      cached =
          Optional.ofNullable(
              withConnection(
                  database,
                  c -> {
                    try (PreparedStatement ps = c.prepareStatement(TYPE)) {
                      ps.setLong(1, oid & 0xffffffffL);
                      try (ResultSet rs = ps.executeQuery()) {
                        return rs.next()
                            ? new TypeInfo(
                                oid,
                                rs.getString(1).charAt(0),
                                rs.getString(2).charAt(0),
                                (int) rs.getLong(3),
                                (int) rs.getLong(4))
                            : null;
                      }
                    }
                  }));
      s.types().put(oid, cached);
    }
    return cached.orElse(null);
  }

  @Override
  public void invalidate(String database) {
    snapshots.remove(database);
  }

  private RelationInfo loadRelation(Connection c, int oid) throws SQLException {
    TableRef name;
    char kind;
    try (PreparedStatement ps = c.prepareStatement(RELATION_BY_OID)) {
      ps.setLong(1, oid & 0xffffffffL);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        name = new TableRef(rs.getString(2), rs.getString(3));
        kind = rs.getString(4).charAt(0);
      }
    }
    List<String> columns = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
      ps.setLong(1, oid & 0xffffffffL);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          while (columns.size() < rs.getInt(1) - 1) {
            columns.add(null);
          }
          columns.add(rs.getBoolean(3) ? null : rs.getString(2));
        }
      }
    }
    RelationInfo plain = new RelationInfo(oid, name, kind, columns, Map.of());
    if (!plain.isView()) {
      return plain;
    }
    ViewLineage lineage = ViewLineage.of(c, plain);
    return new RelationInfo(oid, name, kind, columns, lineage.columns(), lineage.plainColumns());
  }

  /** A catalog read, given a connection. */
  @FunctionalInterface
  interface Read<T> {
    T apply(Connection c) throws SQLException;
  }

  private <T> T withConnection(String database, Read<T> read) {
    dev.gatehouse.engine.sql.CachedOnly.check("the catalog of `" + database + "`");
    try (Connection c = connections.apply(database)) {
      if (c == null) {
        throw new SQLException("no connection for database `" + database + "`");
      }
      return read.apply(c);
    } catch (SQLException | RuntimeException e) {
      throw new CatalogException(
          "cannot read the catalog of database `" + database + "`: " + e.getMessage(), e);
    }
  }
}
