package dev.gatehouse.slack.testing;

import dev.gatehouse.testkit.TestPostgres;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Empty control databases on the real test PostgreSQL. */
public final class ControlDatabases {

  private ControlDatabases() {}

  /** A new, empty control database. */
  public static DataSource create() {
    TestPostgres pg = TestPostgres.get();
    String name = pg.createEmptyDatabase("slack");
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(pg.jdbcUrl(name));
    ds.setUser(pg.adminUser());
    if (!pg.adminPassword().isEmpty()) {
      ds.setPassword(pg.adminPassword());
    }
    return ds;
  }
}
