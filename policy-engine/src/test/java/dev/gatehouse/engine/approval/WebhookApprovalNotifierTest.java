package dev.gatehouse.engine.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The webhook notifier against a real HTTP server on loopback. */
class WebhookApprovalNotifierTest extends ApprovalNotifierContract {

  HttpServer server;
  final List<String> bodies = new CopyOnWriteArrayList<>();
  final List<String> auth = new CopyOnWriteArrayList<>();
  final AtomicInteger failuresLeft = new AtomicInteger();
  // A hook that does not answer until the test is over: counted down in stop().
  volatile CountDownLatch answer = new CountDownLatch(0);

  final ApprovalRequest request =
      new ApprovalRequest(
          UUID.randomUUID(),
          ApprovalState.PENDING,
          "https://issuer",
          "analyst",
          Map.of("kind", "person"),
          "shop",
          "DROP TABLE app.t",
          List.of("1"),
          List.of("ddl"),
          "DDL needs approval",
          Instant.parse("2026-01-01T00:00:00Z"),
          Instant.parse("2026-01-01T00:15:00Z"),
          null,
          null,
          null);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          auth.add(exchange.getRequestHeaders().getFirst("Authorization"));
          try {
            answer.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          int status = failuresLeft.getAndDecrement() > 0 ? 503 : 204;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    answer.countDown();
    server.stop(0);
  }

  @Override
  ApprovalNotifier notifier() {
    return notifier(0, Duration.ofSeconds(2));
  }

  @Override
  List<String> delivered() {
    return bodies;
  }

  WebhookApprovalNotifier notifier(int retries, Duration timeout) {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    return new WebhookApprovalNotifier(
        new WebhookApprovalNotifier.Settings(
            url, timeout, retries, Duration.ofMillis(10), "s3cret"));
  }

  @Test
  void postsTheRequestAsJson() {
    notifier(0, Duration.ofSeconds(2)).created(request);
    assertThat(bodies).hasSize(1);
    JsonNode body = JsonMapper.builder().build().readTree(bodies.getFirst());
    assertThat(body.get("event").asString()).isEqualTo("created");
    assertThat(body.at("/request/id").asString()).isEqualTo(request.id().toString());
    assertThat(body.at("/request/sql").asString()).isEqualTo("DROP TABLE app.t");
    assertThat(body.at("/request/expiresAt").asString()).isEqualTo("2026-01-01T00:15:00Z");
    assertThat(auth).containsExactly("Bearer s3cret");
  }

  @Test
  void retriesUntilTheHookAccepts() {
    failuresLeft.set(2);
    notifier(3, Duration.ofSeconds(2)).decided(request);
    assertThat(bodies).hasSize(3);
  }

  @Test
  void givesUpAfterItsRetriesAndSaysWhy() {
    failuresLeft.set(10);
    assertThatThrownBy(() -> notifier(1, Duration.ofSeconds(2)).expired(request))
        .hasMessageEndingWith("failed after 2 attempts: status 503");
    assertThat(bodies).hasSize(2);
  }

  @Test
  void slowHookTimesOut() {
    answer = new CountDownLatch(1);
    long start = System.nanoTime();
    assertThatThrownBy(() -> notifier(0, Duration.ofMillis(200)).created(request))
        .hasMessageContaining("HttpTimeoutException");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(900);
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(
            () ->
                new WebhookApprovalNotifier.Settings(
                    URI.create("ftp://x/"), Duration.ofSeconds(1), 1, Duration.ZERO, null))
        .hasMessage("webhook `url` must be http or https, got `ftp://x/`");
    assertThatThrownBy(
            () ->
                new WebhookApprovalNotifier.Settings(
                    URI.create("http://x/"), Duration.ofSeconds(1), 11, Duration.ZERO, null))
        .hasMessage("webhook `retries` must be between 0 and 10, got 11");
  }
}
