package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pg_dump of the granted schema through the gateway, as the analyst of the reference policy (masked
 * columns masked in the dump), restored with pg_restore into an empty database. pg_dump refuses a
 * server of a newer major version than its own, so when the installed pg_dump is older than the
 * shared test server (Debian 12 ships 15) the test runs a PostgreSQL of pg_dump's version from the
 * zonky binaries the build copies to {@code target/postgres-15}.
 */
class PgDumpIT {

  static final String CUSTOMERS = "SELECT id, full_name, email, ssn FROM app.customers ORDER BY id";

  static Path bin;
  static TestPostgres pg;
  static boolean ownServer;
  static ProxyFixture proxy;
  static String upstream;

  @BeforeAll
  static void start() throws Exception {
    Path debian = Path.of("/usr/lib/postgresql/15/bin");
    bin = Files.isExecutable(debian.resolve("pg_dump")) ? debian : Path.of("/usr/bin");
    int major = major(run(List.of(bin.resolve("pg_dump").toString(), "--version")));
    if (major < 16) {
      Path jar = Path.of("target/postgres-" + major + "/postgres-" + major + "-binaries.jar");
      assertThat(jar).as("run through Maven: it copies the binaries").exists();
      pg = TestPostgres.embeddedFrom(jar);
      ownServer = true;
    } else {
      pg = TestPostgres.get();
    }
    upstream = pg.createShopDatabase("wire_dump");
    try (Connection c = pg.connectAsAdmin(upstream);
        Statement s = c.createStatement()) {
      // pg_dump reads each sequence's state; the reference roles are granted tables only
      s.execute("GRANT SELECT ON ALL SEQUENCES IN SCHEMA app TO " + pg.reader().name());
      // A type and a function of the schema's own: pg_dump 15 reads them with SQL PREPARE and
      // EXECUTE (dumpFunc, dumpEnumType), which a whole-schema dump exercises.
      s.execute("CREATE TYPE app.tier AS ENUM ('basic', 'gold')");
      s.execute(
          "CREATE FUNCTION app.initials(name text) RETURNS text LANGUAGE sql IMMUTABLE"
              + " AS $$ SELECT upper(left(name, 1)) $$");
    }
    proxy = ProxyFixture.reference(pg, upstream, PgDumpIT::dumpWithoutTimeout);
  }

  /**
   * What pg_dump needs beyond reading the schema, which a policy grants only by name: it sends
   * {@code SET statement_timeout = 0} (lifting the timeout the analysts' grant imposes) and reads
   * its database's rows of {@code pg_database} and {@code pg_db_role_setting} (catalogs of every
   * database on the server).
   */
  static String dumpWithoutTimeout(String yaml) {
    int rule = yaml.indexOf("- id: analysts-read");
    String head = yaml.substring(0, rule);
    String body = yaml.substring(rule);
    String read = "read: [\"app.*\", \"pg_catalog.*\", \"information_schema.*\"]";
    String settings = "settings: [search_path]";
    assertThat(body).contains(read).contains(settings);
    return head
        + body.replaceFirst(
                java.util.regex.Pattern.quote(read),
                "read: [\"app.*\", \"pg_catalog.*\", \"information_schema.*\","
                    + " pg_catalog.pg_database, pg_catalog.pg_db_role_setting]")
            .replaceFirst(
                java.util.regex.Pattern.quote(settings),
                "settings: [search_path, statement_timeout]");
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (ownServer) {
      pg.stop();
    }
  }

  @Test
  void analystDumpsTheGrantedSchemaMaskedAndItRestores() throws Exception {
    Path dump = Files.createTempFile("gatehouse-dump-", ".pgdump");
    List<String> command =
        new ArrayList<>(
            List.of(
                bin.resolve("pg_dump").toString(),
                "--format=custom",
                // the schema's tables, views and sequences (--schema: the test below)
                "--table=app.*",
                "--no-owner",
                "--no-privileges",
                // subscriptions live in a credential catalog (their connection strings)
                "--no-subscriptions",
                "--file=" + dump,
                "host=127.0.0.1 port="
                    + proxy.server.port()
                    + " dbname=shop user=analyst sslmode=disable"));
    String log = run(command, ProxyFixture.token(ReferencePrincipal.ANALYST));
    assertThat(Files.size(dump)).as(log).isPositive();

    String restored = pg.createEmptyDatabase("restored");
    try (Connection c = pg.connectAsAdmin(restored);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA app"); // a dump of tables (--table) does not create their schema
    }
    run(
        List.of(
            bin.resolve("pg_restore").toString(),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--host=" + pg.host(),
            "--port=" + pg.port(),
            "--username=" + pg.adminUser(),
            "--dbname=" + restored,
            dump.toString()),
        pg.adminPassword());

    List<List<String>> original = rows(pg.connectAsAdmin(upstream));
    List<List<String>> got = rows(pg.connectAsAdmin(restored));
    assertThat(got).hasSameSizeAs(original).hasSize(1000);
    for (int i = 0; i < got.size(); i++) {
      List<String> was = original.get(i);
      List<String> is = got.get(i);
      assertThat(is.subList(0, 2)).isEqualTo(was.subList(0, 2)); // id, full_name in clear
      if (was.get(2) != null) {
        assertThat(is.get(2)).isNotEqualTo(was.get(2)).matches(".\\*+@.*");
      }
      if (was.get(3) != null) {
        assertThat(is.get(3)).isEqualTo("****");
      }
    }
    try (Connection c = pg.connectAsAdmin(restored);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM app.orders")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(5000);
    }
  }

  @Test
  void analystDumpsTheWholeSchemaWithItsFunctionsAndTypesMaskedAndItRestores() throws Exception {
    Path dump = Files.createTempFile("gatehouse-dump-schema-", ".pgdump");
    String log =
        run(
            List.of(
                bin.resolve("pg_dump").toString(),
                "--format=custom",
                "--schema=app",
                "--no-owner",
                "--no-privileges",
                "--no-subscriptions",
                "--file=" + dump,
                "host=127.0.0.1 port="
                    + proxy.server.port()
                    + " dbname=shop user=analyst sslmode=disable"),
            ProxyFixture.token(ReferencePrincipal.ANALYST));
    assertThat(Files.size(dump)).as(log).isPositive();

    // An empty database: the dump creates the schema, its type and function, tables and data.
    String restored = pg.createEmptyDatabase("restored_schema");
    run(
        List.of(
            bin.resolve("pg_restore").toString(),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--host=" + pg.host(),
            "--port=" + pg.port(),
            "--username=" + pg.adminUser(),
            "--dbname=" + restored,
            dump.toString()),
        pg.adminPassword());

    List<List<String>> original = rows(pg.connectAsAdmin(upstream));
    List<List<String>> got = rows(pg.connectAsAdmin(restored));
    assertThat(got).hasSameSizeAs(original).hasSize(1000);
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i).subList(0, 2)).isEqualTo(original.get(i).subList(0, 2));
      if (original.get(i).get(3) != null) {
        assertThat(got.get(i).get(3)).isEqualTo("****");
      }
    }
    try (Connection c = pg.connectAsAdmin(restored);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT app.initials('ada'), enum_range(NULL::app.tier)::text,"
                    + " (SELECT count(*) FROM app.orders)")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("A");
      assertThat(rs.getString(2)).isEqualTo("{basic,gold}");
      assertThat(rs.getLong(3)).isEqualTo(5000);
    }
  }

  private static List<List<String>> rows(Connection connection) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (Connection c = connection;
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(CUSTOMERS)) {
      while (rs.next()) {
        rows.add(
            java.util.Arrays.asList(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
    return rows;
  }

  static int major(String version) {
    Matcher m = Pattern.compile("\\) (\\d+)").matcher(version);
    assertThat(m.find()).as(version).isTrue();
    return Integer.parseInt(m.group(1));
  }

  static String run(List<String> command) throws Exception {
    return run(command, null);
  }

  static String run(List<String> command, String password) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (password != null && !password.isEmpty()) {
      pb.environment().put("PGPASSWORD", password);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(out).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }
}
