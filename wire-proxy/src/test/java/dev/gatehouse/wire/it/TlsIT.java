package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.server.WireProxyConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS with a certificate from a test CA (made with /usr/bin/openssl here), verified by the client
 * with sslmode=verify-full; without TLS the token is refused even on loopback when so configured.
 */
class TlsIT {

  static Path dir;
  static ProxyFixture proxy;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("gatehouse-tls-");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "1",
        "-subj",
        "/CN=gatehouse test CA");
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "1",
        "-extfile",
        "san.ext");
    proxy =
        new ProxyFixture(
            WireProxyConfig.defaults("127.0.0.1", 0)
                .withTls(dir.resolve("server.crt"), dir.resolve("server.key"), false));
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  static void openssl(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("openssl " + String.join(" ", args) + " failed:\n" + out);
    }
  }

  @Test
  void pgjdbcVerifiesTheCertificate() throws Exception {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", "analyst");
    p.setProperty("password", ProxyFixture.token(ReferencePrincipal.ANALYST));
    p.setProperty("sslmode", "verify-full");
    p.setProperty("sslrootcert", dir.resolve("ca.crt").toString());
    String url = "jdbc:postgresql://localhost:" + proxy.server.port() + "/" + TestPostgres.SHOP;
    try (Connection c = java.sql.DriverManager.getConnection(url, p);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT email FROM app.customers WHERE id = 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("***");
    }
  }

  @Test
  void psqlVerifiesTheCertificate() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            "/usr/bin/psql",
            "-X",
            "-A",
            "-t",
            "-c",
            "SELECT 'tls ok'",
            "host=localhost hostaddr=127.0.0.1 port="
                + proxy.server.port()
                + " dbname="
                + TestPostgres.SHOP
                + " user=analyst sslmode=verify-full sslrootcert="
                + dir.resolve("ca.crt"));
    pb.environment().put("PGPASSWORD", ProxyFixture.token(ReferencePrincipal.ANALYST));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("tls ok");
  }

  @Test
  void tokenOverPlainTcpIsRefused() {
    assertThatThrownBy(
            () ->
                proxy.connect(
                    ReferencePrincipal.ANALYST, TestPostgres.SHOP, "preferQueryMode=simple"))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"))
        .hasMessageContaining("only over TLS");
  }

  @Test
  void wrongCaIsRejectedByTheClient() throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "other.key",
        "-out",
        "other.crt",
        "-days",
        "1",
        "-subj",
        "/CN=other CA");
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", "analyst");
    p.setProperty("password", "unused");
    p.setProperty("sslmode", "verify-full");
    p.setProperty("sslrootcert", dir.resolve("other.crt").toString());
    String url = "jdbc:postgresql://localhost:" + proxy.server.port() + "/" + TestPostgres.SHOP;
    assertThatThrownBy(() -> java.sql.DriverManager.getConnection(url, p).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SSL");
  }
}
