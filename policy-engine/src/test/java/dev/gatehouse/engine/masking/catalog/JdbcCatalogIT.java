package dev.gatehouse.engine.masking.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import dev.gatehouse.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The catalog read over JDBC from a private copy of the shop database, as the read-only role. */
class JdbcCatalogIT {

  private static String db;
  private static final AtomicInteger connections = new AtomicInteger();
  private static final AtomicLong clock = new AtomicLong();

  @BeforeAll
  static void createViews() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    db = pg.createShopDatabase("masking_catalog");
    try (Connection c = pg.connect(db, pg.owner());
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE VIEW app.v_upper AS SELECT id, upper(ssn) AS s, full_name FROM app.customers");
      s.execute("CREATE VIEW app.v_of_v AS SELECT s AS t FROM app.v_upper");
      s.execute(
          "CREATE VIEW app.v_fn AS SELECT id, app.customer_email(id) AS e FROM app.customers");
      s.execute("CREATE TABLE app.notes (id int, body text)");
      s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA app TO " + pg.reader().name());
    }
  }

  private static JdbcCatalog catalog() {
    TestPostgres pg = TestPostgres.get();
    return new JdbcCatalog(
        name -> {
          connections.incrementAndGet();
          try {
            return pg.connect(name, pg.reader());
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        },
        Duration.ofSeconds(60),
        clock::get);
  }

  static java.util.Set<String> sources(OutputColumn c) {
    return c.sources().stream().map(ColumnRef::qualified).collect(Collectors.toSet());
  }

  @Test
  void tablesAndViewsWithTheirColumnLineage() {
    JdbcCatalog catalog = catalog();
    RelationInfo customers = catalog.relation(db, TableRef.of("app.customers"));
    assertThat(customers.kind()).isEqualTo('r');
    assertThat(customers.column(4)).isEqualTo("ssn");
    assertThat(catalog.relation(db, customers.oid())).isEqualTo(customers);

    RelationInfo view = catalog.relation(db, TableRef.of("app.v_upper"));
    assertThat(view.isView()).isTrue();
    assertThat(sources(view.viewColumns().get("s"))).containsExactly("app.customers.ssn");
    assertThat(sources(view.viewColumns().get("full_name")))
        .containsExactly("app.customers.full_name");

    RelationInfo nested = catalog.relation(db, TableRef.of("app.v_of_v"));
    assertThat(sources(nested.viewColumns().get("t"))).containsExactly("app.v_upper.s");

    RelationInfo opaque = catalog.relation(db, TableRef.of("app.v_fn"));
    assertThat(opaque.viewColumns().get("e").opaque()).isTrue();
    assertThat(opaque.viewColumns().get("id").opaque()).isFalse();

    assertThat(catalog.relation(db, TableRef.of("app.nothing"))).isNull();
    assertThat(catalog.relationsNamed(db, "customers"))
        .extracting(RelationInfo::name)
        .containsExactly(TableRef.of("app.customers"));
    assertThat(catalog.type(db, 25).category()).isEqualTo('S');
  }

  @Test
  void cachedUntilInvalidatedOrTooOld() throws SQLException {
    JdbcCatalog catalog = catalog();
    assertThat(catalog.relation(db, TableRef.of("app.notes")).columns())
        .containsExactly("id", "body");
    int before = connections.get();
    catalog.relation(db, TableRef.of("app.notes"));
    assertThat(connections.get()).as("a hit reads nothing").isEqualTo(before);

    TestPostgres pg = TestPostgres.get();
    try (Connection c = pg.connect(db, pg.owner());
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE app.notes ADD COLUMN secret text");
    }
    assertThat(catalog.relation(db, TableRef.of("app.notes")).columns()).hasSize(2);
    catalog.invalidate(db);
    assertThat(catalog.relation(db, TableRef.of("app.notes")).columns())
        .containsExactly("id", "body", "secret");

    try (Connection c = pg.connect(db, pg.owner());
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE app.notes DROP COLUMN body");
    }
    clock.addAndGet(Duration.ofSeconds(61).toNanos());
    RelationInfo after = catalog.relation(db, TableRef.of("app.notes"));
    assertThat(after.column(2)).as("a dropped column keeps its number").isNull();
    assertThat(after.column(3)).isEqualTo("secret");
  }

  @Test
  void plannerOverAPooledDataSource() {
    TestPostgres pg = TestPostgres.get();
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(pg.jdbcUrl(db));
    config.setUsername(pg.reader().name());
    config.setPassword(pg.reader().password());
    config.setMaximumPoolSize(2);
    try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config)) {
      var planner =
          dev.gatehouse.engine.masking.CatalogMaskPlanner.overDataSources(
              name -> name.equals(db) ? pool : null, null);
      assertThat(planner.catalog().relation(db, TableRef.of("app.customers"))).isNotNull();
      assertThatThrownBy(() -> planner.catalog().relation("elsewhere", 1))
          .isInstanceOf(CatalogException.class)
          .hasMessageContaining("no upstream is configured for database `elsewhere`");
    }
  }

  @Test
  void anUnreachableDatabaseIsACatalogError() {
    JdbcCatalog broken =
        new JdbcCatalog(
            name -> {
              throw new IllegalStateException("connection refused");
            },
            Duration.ofSeconds(1));
    assertThatThrownBy(() -> broken.relation("shop", 1))
        .isInstanceOf(CatalogException.class)
        .hasMessage("cannot read the catalog of database `shop`: connection refused");
  }
}
