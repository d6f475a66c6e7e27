package dev.gatehouse.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One principal's parses wait behind its own, never in front of another principal's. */
class FairShareTest {

  @Test
  void anOwnerBeyondItsShareWaitsAndOthersDoNot() throws Exception {
    OwnerSlots slots = new OwnerSlots(1);
    OwnerSlots.Slot a = slots.acquire("a", Duration.ZERO);
    assertNotNull(a);
    assertNull(slots.acquire("a", Duration.ofMillis(20)), "a's second parse must wait");
    OwnerSlots.Slot b = slots.acquire("b", Duration.ZERO);
    assertNotNull(b, "b is not behind a");
    a.release();
    b.release();
    assertEquals(0, slots.activeOwners(), "idle owners leave nothing behind");
  }

  @Test
  void anotherPrincipalParsesWhileOneHoldsItsShare() throws Exception {
    assertEquals(List.of(true, true), hostileThenVictim(1));
  }

  @Test
  void withoutASharePerPrincipalTheVictimWaitsBehindTheHostile() throws Exception {
    // The control: one principal may take both threads, and the victim's parse then times out.
    assertEquals(List.of(true, false), hostileThenVictim(2));
  }

  /**
   * Three parses of a hostile owner that block until released, then one of a victim on a pool of
   * two threads; returns whether the hostile's first parse started and whether the victim parsed.
   */
  private static List<Boolean> hostileThenVictim(int perOwner) throws Exception {
    ParserPool pool = new ParserPool(2, 16, Duration.ofMillis(1500), perOwner);
    // Every thread the hostile owner may take is running its parse before the victim comes.
    CountDownLatch started = new CountDownLatch(Math.min(perOwner, 2));
    CountDownLatch release = new CountDownLatch(1);
    List<CompletableFuture<ParserPool.Outcome<String>>> hostile = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(3);
    try {
      for (int i = 0; i < 3; i++) {
        hostile.add(
            CompletableFuture.supplyAsync(
                () ->
                    pool.parse(
                        "hostile",
                        "SELECT 1",
                        s -> {
                          started.countDown();
                          awaitIgnoringInterrupts(release);
                          return "hostile";
                        }),
                callers));
      }
      boolean hostileRunning = started.await(5, TimeUnit.SECONDS);
      ParserPool.Outcome<String> victim = pool.parse("victim", "SELECT 2", s -> "victim");
      boolean victimParsed = victim instanceof ParserPool.Outcome.Parsed<String>;
      release.countDown();
      for (var h : hostile) {
        assertNotNull(h.get(10, TimeUnit.SECONDS));
      }
      if (victimParsed) {
        assertInstanceOf(ParserPool.Outcome.Parsed.class, victim);
      }
      return List.of(hostileRunning, victimParsed);
    } finally {
      release.countDown();
      pool.close();
      callers.shutdownNow();
    }
  }

  /** A parse that does not stop when told to, until the test releases it. */
  private static void awaitIgnoringInterrupts(CountDownLatch release) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (release.getCount() > 0 && System.nanoTime() < end) {
      try {
        release.await(10, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        // ignored on purpose: the pool's deadline must not free this thread early
      }
    }
  }
}
