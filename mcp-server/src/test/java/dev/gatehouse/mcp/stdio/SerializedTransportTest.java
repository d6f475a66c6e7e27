package dev.gatehouse.mcp.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.Eventually;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Messages sent from many threads at once all reach stdout through the SDK's real stdio transport
 * when serialized; unserialized, the transport drops some of them.
 */
class SerializedTransportTest {

  private static final int THREADS = 8;
  private static final int PER_THREAD = 400;

  @Test
  void everyMessageSentConcurrentlyIsWritten() throws Exception {
    Sent sent = sendConcurrently(SerializedTransport::new);
    assertThat(sent.failures()).isZero();
    assertThat(sent.linesWritten()).isEqualTo(THREADS * PER_THREAD);
  }

  @Test
  void theTransportAloneLosesMessagesSentConcurrently() throws Exception {
    // Shows what the wrapper is for; if the SDK ever serializes by itself, drop the wrapper.
    int worst = 0;
    for (int attempt = 0; attempt < 20 && worst == 0; attempt++) {
      worst = sendConcurrently(UnaryOperator.identity()).failures();
    }
    assertThat(worst).isPositive();
  }

  record Sent(int failures, long linesWritten) {}

  private static Sent sendConcurrently(UnaryOperator<McpServerTransport> wrap) throws Exception {
    PipedOutputStream feed = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(feed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StdioServerTransportProvider provider =
        new StdioServerTransportProvider(McpJsonDefaults.getMapper(), in, out);
    CompletableFuture<McpServerTransport> transport = new CompletableFuture<>();
    provider.setSessionFactory(
        t -> {
          transport.complete(wrap.apply(t));
          return new McpServerSession(
              "test",
              Duration.ofSeconds(5),
              t,
              init -> Mono.empty(),
              Map.of(),
              Map.of(),
              () -> Mono.empty());
        });
    McpServerTransport sender = transport.get(5, TimeUnit.SECONDS);
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      done.add(
          CompletableFuture.runAsync(
              () -> {
                await(start);
                for (int i = 0; i < PER_THREAD; i++) {
                  try {
                    sender
                        .sendMessage(
                            new McpSchema.JSONRPCNotification(
                                McpSchema.JSONRPC_VERSION, "notifications/test", Map.of("n", i)))
                        .block(Duration.ofSeconds(5));
                  } catch (RuntimeException e) {
                    failures.incrementAndGet();
                  }
                }
              },
              pool));
    }
    start.countDown();
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    pool.shutdown();
    long expected = (long) THREADS * PER_THREAD - failures.get();
    Eventually.holdsWithin(Duration.ofSeconds(10), () -> lines(out) >= expected);
    long lines = lines(out);
    feed.close();
    provider.closeGracefully().block(Duration.ofSeconds(5));
    return new Sent(failures.get(), lines);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long lines(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8).lines().count();
    }
  }
}
