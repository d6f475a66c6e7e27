package dev.gatehouse.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.audit.AuditConfig;
import dev.gatehouse.engine.audit.AuditFixtures;
import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.AuditVerifier;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.audit.JdbcAuditTrail;
import dev.gatehouse.engine.audit.StatementAudit;
import dev.gatehouse.engine.audit.StatementEvent;
import dev.gatehouse.engine.audit.StatementOutcome;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Audit throughput and the latency it adds per statement (until {@code durable()}), against the
 * real test PostgreSQL. Not part of the suite (no {@code IT} suffix); run it with {@code -Dit.test=
 * AuditBenchmark} or its {@code main}.
 */
public class AuditBenchmark {

  private static final Duration RUN = Duration.ofSeconds(4);

  public static void main(String[] args) throws Exception {
    new AuditBenchmark().benchmark();
  }

  @Test
  void benchmark() throws Exception {
    System.out.printf(
        "machine: %d cores, %s; test postgres with fsync=off, synchronous_commit=off%n",
        Runtime.getRuntime().availableProcessors(), cpu());
    baseline();
    // The window bounds how long outcomes (nobody waits for them) may wait to share a commit.
    for (Duration window : List.of(Duration.ZERO, Duration.ofMillis(10), Duration.ofMillis(50))) {
      for (int threads : new int[] {1, 8, 32}) {
        latency(window, threads);
      }
      throughput(window, 50_000);
    }
  }

  private static void latency(Duration window, int threads) throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    try (ControlDatabase db = AuditFixtures.controlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(key, window))) {
      Principal analyst = AuditFixtures.principal(ReferencePrincipal.ANALYST);
      List<long[]> perThread = new ArrayList<>();
      AtomicLong statements = new AtomicLong();
      CountDownLatch done = new CountDownLatch(threads);
      long deadline = System.nanoTime() + RUN.toNanos();
      for (int t = 0; t < threads; t++) {
        long[] samples = new long[2_000_000];
        perThread.add(samples);
        Thread.ofPlatform()
            .start(
                () -> {
                  int n = 0;
                  while (System.nanoTime() < deadline && n < samples.length) {
                    long s = System.nanoTime();
                    StatementAudit a = trail.statement(event(analyst, n));
                    a.durable().join();
                    samples[n++] = System.nanoTime() - s;
                    a.complete(outcome());
                  }
                  samples[samples.length - 1] = n;
                  statements.addAndGet(n);
                  done.countDown();
                });
      }
      done.await();
      long[] all =
          perThread.stream()
              .flatMapToLong(s -> Arrays.stream(s, 0, (int) s[s.length - 1]))
              .sorted()
              .toArray();
      double perSecond = statements.get() / (RUN.toNanos() / 1e9);
      System.out.printf(
          "window %d ms, %2d threads waiting on durable(): %7.0f statements/s (%7.0f records/s),"
              + " durable() p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          window.toMillis(),
          threads,
          perSecond,
          2 * perSecond,
          ms(all, 0.50),
          ms(all, 0.99),
          all[all.length - 1] / 1e6);
      awaitCommitted(trail, 2 * statements.get());
      assertThat(new AuditVerifier(db.dataSource(), key).verify().ok()).isTrue();
    }
  }

  /** Baseline: one plain INSERT + commit of a record-sized row per statement, no audit code. */
  private static void baseline() throws Exception {
    try (ControlDatabase db = AuditFixtures.controlDatabase();
        java.sql.Connection c = db.dataSource().getConnection()) {
      try (java.sql.Statement s = c.createStatement()) {
        s.execute("CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, body text)");
      }
      String body = "x".repeat(900);
      long[] samples = new long[2_000_000];
      int n = 0;
      long deadline = System.nanoTime() + RUN.toNanos();
      try (java.sql.PreparedStatement ps =
          c.prepareStatement("INSERT INTO bench_baseline (body) VALUES (?)")) {
        while (System.nanoTime() < deadline) {
          long start = System.nanoTime();
          ps.setString(1, body);
          ps.executeUpdate();
          samples[n++] = System.nanoTime() - start;
        }
      }
      long[] sorted = Arrays.stream(samples, 0, n).sorted().toArray();
      System.out.printf(
          "baseline: 1 thread, plain INSERT+commit of a 900-byte row: %.0f rows/s, p50 %.2f ms,"
              + " p99 %.2f ms%n",
          n / (RUN.toNanos() / 1e9), ms(sorted, 0.50), ms(sorted, 0.99));
    }
  }

  private static void throughput(Duration window, int n) throws Exception {
    AuditKey key = AuditFixtures.randomKey();
    try (ControlDatabase db = AuditFixtures.controlDatabase();
        JdbcAuditTrail trail = JdbcAuditTrail.start(db, config(key, window))) {
      Principal analyst = AuditFixtures.principal(ReferencePrincipal.ANALYST);
      List<CompletableFuture<Void>> all = new ArrayList<>(n);
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        all.add(trail.statement(event(analyst, i)).durable());
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "window %d ms, one producer not waiting: %d records committed in %.2f s = %.0f records/s%n",
          window.toMillis(), n, seconds, n / seconds);
      awaitCommitted(trail, n);
      assertThat(new AuditVerifier(db.dataSource(), key).verify().records()).isEqualTo(n);
    }
  }

  private static AuditConfig config(AuditKey key, Duration window) throws Exception {
    return AuditFixtures.config("bench", key, Files.createTempDirectory("bench-spool"))
        .withTimings(window, Duration.ofSeconds(120), Duration.ofMillis(250));
  }

  private static StatementEvent event(Principal p, int i) {
    return AuditFixtures.read(
        p, "shop", "SELECT id, name, email FROM app.customers WHERE id = $1", List.of("" + i));
  }

  private static StatementOutcome outcome() {
    return new StatementOutcome(1, Duration.ofMillis(1), List.of(), null, null, List.of());
  }

  private static void awaitCommitted(JdbcAuditTrail trail, long n) throws InterruptedException {
    Eventually.holdsWithin(Duration.ofSeconds(60), () -> trail.committed() >= n);
    assertThat(trail.committed()).isEqualTo(n);
  }

  private static double ms(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
  }

  private static String cpu() {
    try {
      return Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .orElse("unknown cpu");
    } catch (java.io.IOException e) {
      return "unknown cpu";
    }
  }
}
