package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which databases a governed principal can reach and see: a database the policy grants nothing on
 * is refused at connect, as PostgreSQL refuses one it does not have (3D000), and the server's list
 * of databases, the gateway's control database among them, is not readable through a glob grant.
 */
class DatabaseAccessIT {

  static final Path PSQL = Path.of("/usr/bin/psql");

  /** A database the policy declares but no rule grants anything on. */
  static final String DECLARED_ONLY =
      "databases:\n"
          + "  archive:\n"
          + "    host: ${env:GATEHOUSE_PG_HOST}\n"
          + "    port: ${env:GATEHOUSE_PG_PORT}\n"
          + "    database: shop\n"
          + "    roles:\n"
          + "      gatehouse_reader:\n"
          + "        user: gatehouse_reader\n"
          + "        password: ${env:GATEHOUSE_READER_PASSWORD}\n";

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    if (!Files.isExecutable(PSQL)) {
      throw new IllegalStateException("psql is required at " + PSQL + " for this test");
    }
    proxy =
        ProxyFixture.reference(
            TestPostgres.SHOP, yaml -> yaml.replace("\ndatabases:\n", "\n" + DECLARED_ONLY));
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void psqlToADatabaseOutsideThePolicyIsRefusedAtConnect() throws Exception {
    Result r = psql("postgres", ReferencePrincipal.ANALYST, "SELECT 1");
    assertThat(r.exit()).isEqualTo(2); // psql: the connection failed, nothing ran
    // libpq prints no SQLSTATE for a failed connection; pgjdbc's test below reads it (3D000).
    assertThat(r.stderr()).contains("FATAL:  database `postgres` does not exist at this gateway");
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void pgjdbcToADatabaseOutsideThePolicyOrWithoutGrantsIsRefusedAtConnect() {
    for (String database : List.of("postgres", "template1", "archive", "no_such_db")) {
      assertThatThrownBy(() -> proxy.connect(ReferencePrincipal.ANALYST, database, "").close())
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("3D000"));
    }
  }

  @Test
  void theGrantedDatabaseStillConnectsAndAPrincipalWithoutGrantsGetsItsDenial() throws Exception {
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_database()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(TestPostgres.SHOP);
    }
    // The database is served: a principal without a grant connects and reads why it is denied.
    Result denied = psql(TestPostgres.SHOP, ReferencePrincipal.CONTRACTOR, "SELECT 1");
    assertThat(denied.stderr()).contains("ERROR:  42501").contains("default-deny");
  }

  @Test
  void theListOfDatabasesIsNotShown() throws Exception {
    List<String> all = new ArrayList<>();
    try (Connection admin = TestPostgres.get().connectAsAdmin("postgres");
        Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT datname FROM pg_database")) {
      while (rs.next()) {
        all.add(rs.getString(1));
      }
    }
    assertThat(all).anyMatch(name -> name.startsWith("wire_control"));

    Result list = psql(TestPostgres.SHOP, ReferencePrincipal.ANALYST, "\\l");
    assertThat(list.stderr())
        .contains("ERROR:  42501")
        .contains("lists the server's databases and is granted only by its exact name");
    for (String name : all) {
      assertThat(list.stdout()).doesNotContain(name);
    }
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "");
        Statement s = c.createStatement()) {
      for (String sql :
          List.of(
              "SELECT datname FROM pg_database",
              "SELECT datname FROM pg_catalog.pg_stat_database",
              "SELECT datname FROM pg_stat_activity",
              "SELECT pg_database_size('postgres')",
              "SELECT has_database_privilege('postgres', 'CONNECT')")) {
        assertThatThrownBy(() -> s.executeQuery(sql))
            .as(sql)
            .isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
      }
      // pgjdbc's own catalog listing reads pg_database too: refused, never the list.
      assertThatThrownBy(() -> c.getMetaData().getCatalogs().close())
          .isInstanceOf(SQLException.class);
    }
  }

  record Result(int exit, String stdout, String stderr) {}

  static Result psql(String db, ReferencePrincipal who, String command) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            PSQL.toString(),
            "-X",
            "-A",
            "-t",
            "-v",
            "VERBOSITY=verbose",
            "host=127.0.0.1 port="
                + proxy.server.port()
                + " dbname="
                + db
                + " user="
                + who.subject()
                + " sslmode=disable",
            "-c",
            command);
    pb.environment().put("PGPASSWORD", ProxyFixture.token(who));
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("psql did not finish");
    }
    return new Result(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
