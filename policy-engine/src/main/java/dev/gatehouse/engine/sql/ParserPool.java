package dev.gatehouse.engine.sql;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.statement.Statement;

/**
 * Runs JSqlParser on a bounded pool with a deadline, so that hostile input cannot pin more than the
 * pool's threads nor hold a caller longer than the deadline. On a timeout the parser is told to
 * stop (its {@code interrupted} flag, which the generated parser polls) and its thread is
 * interrupted.
 *
 * <p>The pool is shared fairly: one owner (a principal) has at most {@code perOwner} parses in the
 * pool at once; its further statements wait for its own earlier ones on the caller's side, never in
 * the shared queue in front of other owners.
 */
final class ParserPool implements AutoCloseable {

  /** What a parse produced: a statement, a parse error, or a timeout. */
  sealed interface Outcome<T> {
    record Parsed<T>(T value) implements Outcome<T> {}

    record Failed<T>(String message) implements Outcome<T> {}

    /**
     * @param ranFull true when the parse itself ran for the whole deadline on a worker (the text is
     *     slow), false when it waited for a worker or its owner's turn (the gateway is busy)
     */
    record TimedOut<T>(boolean ranFull) implements Outcome<T> {
      TimedOut() {
        this(false);
      }
    }
  }

  /** Parser threads get a deep stack: JSqlParser recurses once per nesting level and more. */
  private static final long STACK_BYTES = 8L << 20;

  private final ThreadPoolExecutor executor;
  private final Duration timeout;
  private final OwnerSlots slots;

  ParserPool(int threads, int queue, Duration timeout) {
    this(threads, queue, timeout, threads);
  }

  ParserPool(int threads, int queue, Duration timeout, int perOwner) {
    this.slots = new OwnerSlots(perOwner);
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            r -> {
              Thread t =
                  new Thread(null, r, "gatehouse-sql-parser-" + n.incrementAndGet(), STACK_BYTES);
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    this.executor.allowCoreThreadTimeOut(true);
    this.timeout = timeout;
  }

  /** Parses {@code sql} and hands the statement to {@code then}, both within the deadline. */
  <T> Outcome<T> parse(String sql, java.util.function.Function<Statement, T> then) {
    return parse(null, sql, then);
  }

  /** As {@link #parse(String, java.util.function.Function)}, in {@code owner}'s fair share. */
  <T> Outcome<T> parse(String owner, String sql, java.util.function.Function<Statement, T> then) {
    OwnerSlots.Slot slot;
    try {
      slot = slots.acquire(owner, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.TimedOut<>();
    }
    if (slot == null) {
      // The owner's own earlier statements still hold its share: it waits behind itself only.
      return new Outcome.TimedOut<>();
    }
    try {
      return parseInPool(sql, then);
    } finally {
      slot.release();
    }
  }

  private <T> Outcome<T> parseInPool(String sql, java.util.function.Function<Statement, T> then) {
    AtomicReference<CCJSqlParser> current = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();
    Callable<Outcome<T>> task =
        () -> {
          started.set(System.nanoTime());
          Statement statement;
          try {
            statement = parseOnce(sql, false, current);
          } catch (ParseException simple) {
            // JSqlParser's own strategy: a simple pass first, the complex grammar only on failure.
            statement = parseOnce(sql, true, current);
          }
          return new Outcome.Parsed<>(then.apply(statement));
        };
    Future<Outcome<T>> future;
    try {
      future = executor.submit(task);
    } catch (RejectedExecutionException e) {
      // Every parser thread is busy and the queue is full: treat as a timeout, never as a pass.
      return new Outcome.TimedOut<>();
    }
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      CCJSqlParser parser = current.get();
      if (parser != null) {
        parser.interrupted = true;
      }
      future.cancel(true);
      long began = started.get();
      // Ran nearly the whole deadline itself (not queued): the text, not the load, is slow.
      boolean ranFull = began != 0 && System.nanoTime() - began >= timeout.toNanos() * 9 / 10;
      return new Outcome.TimedOut<>(ranFull);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return new Outcome.Failed<>(
          cause instanceof StackOverflowError
              ? "statement nested too deeply"
              : String.valueOf(cause.getMessage()).lines().findFirst().orElse("parse error"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      return new Outcome.TimedOut<>();
    }
  }

  private static Statement parseOnce(
      String sql, boolean complex, AtomicReference<CCJSqlParser> current) throws ParseException {
    CCJSqlParser parser = CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(complex);
    current.set(parser);
    return parser.Statement();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
