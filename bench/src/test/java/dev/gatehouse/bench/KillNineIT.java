package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the packaged gateway ({@code durability: local-log}, the example's default)
 * while four clients write through it: after a restart every statement a client saw succeed is in
 * the trail and {@code gatehouse audit verify} passes. The clients are JDBC loops rather than
 * pgbench, so each acknowledged statement is known by its text.
 */
class KillNineIT {

  @Test
  void everyAcknowledgedStatementSurvivesAKillNine() throws Exception {
    try (BenchStack stack = BenchStack.start()) {
      stack.admin(
          "CREATE TABLE public.pgbench_branches (bid int PRIMARY KEY, bbalance int)",
          "INSERT INTO public.pgbench_branches VALUES (1, 0)",
          "GRANT USAGE ON SCHEMA public TO gatehouse_writer",
          "GRANT SELECT, UPDATE ON public.pgbench_branches TO gatehouse_writer");
      Gateway gateway = stack.gateway("kill9-1", List.of("-Xmx256m"));
      ConcurrentLinkedQueue<Integer> acknowledged = new ConcurrentLinkedQueue<>();
      AtomicInteger next = new AtomicInteger();
      List<Thread> clients = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        clients.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try (Connection c = connect(stack, gateway.wirePort());
                          Statement s = c.createStatement()) {
                        while (true) {
                          int n = next.incrementAndGet();
                          s.executeUpdate(update(n));
                          acknowledged.add(n);
                        }
                      } catch (SQLException e) {
                        // The gateway died under this client: what it acknowledged is counted.
                      }
                    }));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acknowledged.size() < 300 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      ProcessHandle.of(gateway.pid()).orElseThrow().destroyForcibly(); // SIGKILL
      for (Thread c : clients) {
        c.join(TimeUnit.SECONDS.toMillis(30));
      }
      Set<Integer> acked = new HashSet<>(acknowledged);
      System.out.println("kill -9: " + acked.size() + " statements acknowledged before the kill");
      assertThat(acked).hasSizeGreaterThanOrEqualTo(300);

      Gateway restarted = stack.gateway("kill9-1", List.of("-Xmx256m"));
      Set<Integer> recorded = Set.of();
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        recorded = recorded(stack);
        if (recorded.containsAll(acked)) {
          break;
        }
        Thread.sleep(200);
      }
      Set<Integer> missing = new HashSet<>(acked);
      missing.removeAll(recorded);
      assertThat(missing).as("acknowledged statements missing from the trail").isEmpty();

      Path dir = restarted.logFile().getParent();
      ProcessBuilder verify =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  Gateway.jar().toString(),
                  "audit",
                  "verify",
                  "--config",
                  dir.resolve("gatehouse.yaml").toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("verify.txt").toFile());
      verify.environment().putAll(stack.env());
      int exit = verify.start().waitFor();
      String out = Files.readString(dir.resolve("verify.txt"));
      System.out.println("kill -9: audit verify: " + out.strip());
      assertThat(exit).as(out).isZero();
      assertThat(out).contains("audit trail intact");
    }
  }

  private static String update(int n) {
    return "UPDATE pgbench_branches SET bbalance = bbalance + 1 WHERE bid = 1 AND " + n + " > 0";
  }

  /** The numbers of the statements the trail holds a decision record for. */
  private static Set<Integer> recorded(BenchStack stack) throws SQLException {
    Set<Integer> out = new HashSet<>();
    try (Connection c = stack.pg().connectAsAdmin(stack.controlDatabase());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT doc ->> 'sql' FROM gatehouse_audit.audit_record WHERE kind = 'STATEMENT'"
                    + " AND doc ->> 'sql' LIKE 'UPDATE pgbench_branches SET bbalance%'")) {
      while (rs.next()) {
        String sql = rs.getString(1);
        String tail = sql.substring(sql.lastIndexOf("AND ") + 4, sql.lastIndexOf(" > 0"));
        out.add(Integer.parseInt(tail));
      }
    }
    return out;
  }

  private static Connection connect(BenchStack stack, int port) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", ReferencePrincipal.ETL_NIGHTLY.subject());
    p.setProperty("password", stack.token(ReferencePrincipal.ETL_NIGHTLY));
    p.setProperty("sslmode", "disable");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/shop", p);
  }
}
