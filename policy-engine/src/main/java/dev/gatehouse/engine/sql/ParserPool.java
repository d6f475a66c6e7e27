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
 */
final class ParserPool implements AutoCloseable {

  /** What a parse produced: a statement, a parse error, or a timeout. */
  sealed interface Outcome<T> {
    record Parsed<T>(T value) implements Outcome<T> {}

    record Failed<T>(String message) implements Outcome<T> {}

    record TimedOut<T>() implements Outcome<T> {}
  }

  private final ThreadPoolExecutor executor;
  private final Duration timeout;

  ParserPool(int threads, int queue, Duration timeout) {
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            r -> {
              Thread t = new Thread(r, "gatehouse-sql-parser-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    this.executor.allowCoreThreadTimeOut(true);
    this.timeout = timeout;
  }

  /** Parses {@code sql} and hands the statement to {@code then}, both within the deadline. */
  <T> Outcome<T> parse(String sql, java.util.function.Function<Statement, T> then) {
    AtomicReference<CCJSqlParser> current = new AtomicReference<>();
    Callable<Outcome<T>> task =
        () -> {
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
      return new Outcome.TimedOut<>();
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
