package dev.gatehouse.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class DurableDeadlinesTest {

  @Test
  void aRecordNotDurableInTimeFailsWithATimeoutAndOneDurableInTimeDoesNot() throws Exception {
    try (DurableDeadlines deadlines = new DurableDeadlines(Duration.ofMillis(200), "test")) {
      CompletableFuture<Void> hung = deadlines.watch(new CompletableFuture<>());
      CompletableFuture<Void> late = deadlines.watch(new CompletableFuture<>());
      late.complete(null);
      long start = System.nanoTime();
      assertThatThrownBy(() -> hung.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TimeoutException.class);
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(waitedMillis).isBetween(150L, 2_000L); // the timeout, plus at most a tick or so
      assertThat(late.isCompletedExceptionally()).isFalse();
      assertThat(deadlines.watched()).isZero();
    }
  }

  @Test
  void theOldestIsFailedFirstAndACompleteOneBehindItIsDroppedWithoutFailing() {
    try (DurableDeadlines deadlines = new DurableDeadlines(Duration.ofSeconds(60), "test")) {
      long t0 = System.nanoTime();
      CompletableFuture<Void> first = deadlines.watch(new CompletableFuture<>());
      CompletableFuture<Void> second = deadlines.watch(new CompletableFuture<>());
      CompletableFuture<Void> third = deadlines.watch(new CompletableFuture<>());
      second.complete(null);
      deadlines.expire(t0 + Duration.ofSeconds(30).toNanos());
      assertThat(first.isDone()).isFalse();
      assertThat(deadlines.watched()).isEqualTo(2);
      // Well past every deadline: each is 60 s after its watch, and on a loaded machine the watch
      // calls may come later than t0 by more than a millisecond (CI failed so, once).
      deadlines.expire(t0 + Duration.ofSeconds(90).toNanos());
      // The watchdog's own 60 s timeout is far away, so only expire() above failed them.
      assertThat(first.isCompletedExceptionally()).isTrue();
      assertThat(second.isCompletedExceptionally()).isFalse();
      assertThat(third.isCompletedExceptionally()).isTrue();
      assertThat(deadlines.watched()).isZero();
    }
  }

  @Test
  void aFutureAlreadyCompleteIsNotWatched() {
    try (DurableDeadlines deadlines = new DurableDeadlines(Duration.ofSeconds(60), "test")) {
      deadlines.watch(CompletableFuture.completedFuture(null));
      deadlines.watch(CompletableFuture.failedFuture(new IllegalStateException("x")));
      assertThat(deadlines.watched()).isZero();
    }
  }
}
