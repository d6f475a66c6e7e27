package dev.gatehouse.bench;

import java.sql.Connection;
import java.sql.Statement;

/** The same DROP TABLE run directly as gatehouse_owner: the floor under the approved statement. */
final class ApprovalBaseline {

  /** How many tables the baseline drops, created with the rounds' tables. */
  static final int TABLES = 20;

  private ApprovalBaseline() {}

  /** Drops {@code app.bench_scratch_<first>} and the next {@link #TABLES} − 1, timing each. */
  static Latencies directDrops(BenchStack stack, int first) throws Exception {
    long[] nanos = new long[TABLES];
    try (Connection c = stack.pg().connect(stack.database(), stack.pg().owner());
        Statement s = c.createStatement()) {
      for (int i = 0; i < TABLES; i++) {
        long start = System.nanoTime();
        s.execute("DROP TABLE app.bench_scratch_" + (first + i));
        nanos[i] = System.nanoTime() - start;
      }
    }
    return Latencies.of(nanos);
  }
}
