package dev.gatehouse.bench;

import dev.gatehouse.testkit.ReferencePrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Part 6: the approval round trip across two gateway instances sharing one control database. {@code
 * etl-nightly} sends {@code DROP TABLE} to instance B over the wire; a DBA approves it through
 * instance A's admin API; measured until the held statement's JDBC execute returns on B. Usage:
 * {@code bench/parts/approval.sh [rounds] [warm-up rounds]}.
 */
public final class ApprovalBench {

  static final String REQUESTER = ReferencePrincipal.ETL_NIGHTLY.subject();

  private ApprovalBench() {}

  /** One measured round: the request, and the three instants that bound the measured spans. */
  record Round(UUID approvalId, String sql, long approveSent, long approveReturned, long ran) {
    long fromReturn() {
      return ran - approveReturned;
    }

    long fromSend() {
      return ran - approveSent;
    }
  }

  public static void main(String[] args) {
    int status = 0;
    try {
      run(args);
    } catch (Exception e) {
      System.err.println("bench approval: FAILED: " + e.getMessage());
      e.printStackTrace();
      status = 1;
    }
    // The embedded PostgreSQL and the issuer keep non-daemon threads: end the run explicitly.
    System.exit(status);
  }

  static void run(String[] args) throws Exception {
    QuietLogs.apply();
    int rounds = Settings.positive(args, 0, "GATEHOUSE_BENCH_APPROVAL_ROUNDS", 20);
    int warmup = Settings.positive(args, 1, "GATEHOUSE_BENCH_APPROVAL_WARMUP", 2);
    PartResult part = new PartResult("approval");
    ExecutorService client = Executors.newSingleThreadExecutor();
    try (BenchStack stack = BenchStack.start()) {
      createTables(stack, warmup + rounds + ApprovalBaseline.TABLES);
      progress("starting instances bench-a and bench-b");
      Gateway a = stack.gateway("bench-a", McpBench.JVM_ARGS);
      Gateway b = stack.gateway("bench-b", McpBench.JVM_ARGS);
      AdminApiClient admin = new AdminApiClient(a.httpPort(), stack.token(ReferencePrincipal.DBA));
      List<Round> measured = new ArrayList<>();
      try (Connection etl = connect(b, stack.token(ReferencePrincipal.ETL_NIGHTLY))) {
        for (int i = 0; i < warmup + rounds; i++) {
          Round r = round(stack, etl, admin, client, "DROP TABLE app.bench_scratch_" + i);
          if (i >= warmup) {
            measured.add(r);
          }
          progress(
              String.format(
                  "round %d/%d: %s ms after the approval returned",
                  i + 1, warmup + rounds, Latencies.ms(r.fromReturn())));
        }
      }
      ApprovalAudit audit = ApprovalAudit.check(stack, measured, "bench-a", "bench-b");
      Latencies direct = ApprovalBaseline.directDrops(stack, warmup + rounds);
      String durability = Durability.describe(stack);
      boolean listenerLost = ApprovalAudit.listenerLost(a) || ApprovalAudit.listenerLost(b);
      ApprovalSection section =
          new ApprovalSection(
              measured, warmup, audit, direct, stack.config("bench-b"), durability, listenerLost);
      part.write(section.figures(), section.render());
    } finally {
      client.shutdownNow();
    }
  }

  /** Holds {@code sql} on B, approves it on A, and times until B's execute returns. */
  static Round round(
      BenchStack stack, Connection etl, AdminApiClient admin, ExecutorService client, String sql)
      throws Exception {
    Future<Long> held =
        client.submit(
            () -> {
              try (Statement s = etl.createStatement()) {
                s.execute(sql);
              }
              return System.nanoTime();
            });
    UUID id = awaitPending(admin, sql, held);
    if (held.isDone()) {
      held.get(); // surfaces the failure
      throw new IllegalStateException("`" + sql + "` ran before it was approved");
    }
    long sent = System.nanoTime();
    admin.approve(id);
    long returned = System.nanoTime();
    long ran = held.get(60, TimeUnit.SECONDS);
    String table = sql.substring("DROP TABLE ".length());
    try (Connection c = stack.pg().connectAsAdmin(stack.database());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NULL")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        throw new IllegalStateException("`" + table + "` still exists after its approved DROP");
      }
    }
    return new Round(id, sql, sent, returned, ran);
  }

  private static UUID awaitPending(AdminApiClient admin, String sql, Future<Long> held)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Optional<UUID> id = admin.pending(sql, REQUESTER);
      if (id.isPresent()) {
        return id.get();
      }
      if (held.isDone()) {
        held.get();
        throw new IllegalStateException("`" + sql + "` ended without an approval request");
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("no pending approval for `" + sql + "` within 30 s");
  }

  /** Tables owned by gatehouse_owner, the role approved DDL runs as. */
  static void createTables(BenchStack stack, int count) throws Exception {
    List<String> sql = new ArrayList<>();
    sql.add("SET ROLE gatehouse_owner");
    for (int i = 0; i < count; i++) {
      sql.add("CREATE TABLE app.bench_scratch_" + i + " (id int PRIMARY KEY, note text)");
    }
    sql.add("RESET ROLE");
    stack.admin(sql.toArray(String[]::new));
  }

  private static Connection connect(Gateway gateway, String token) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", REQUESTER);
    p.setProperty("password", token);
    p.setProperty("sslmode", "disable");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + gateway.wirePort() + "/shop", p);
  }

  private static final long STARTED = System.nanoTime();

  static void progress(String message) {
    long s = (System.nanoTime() - STARTED) / 1_000_000_000L;
    System.err.println("bench approval (" + s + " s): " + message);
  }
}
