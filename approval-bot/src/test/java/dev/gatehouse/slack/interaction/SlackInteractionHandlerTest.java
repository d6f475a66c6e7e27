package dev.gatehouse.slack.interaction;

import static dev.gatehouse.slack.testing.BotFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.approval.testing.MemoryApprovalService;
import dev.gatehouse.slack.api.SlackApi;
import dev.gatehouse.slack.identity.SlackIdentityResolver;
import dev.gatehouse.slack.message.ActionIds;
import dev.gatehouse.slack.outbox.InMemorySlackStore;
import dev.gatehouse.slack.outbox.SlackOutbox;
import dev.gatehouse.slack.testing.BotFixture;
import dev.gatehouse.slack.testing.SignedCallbacks;
import dev.gatehouse.slack.testing.SignedCallbacks.Callback;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlackInteractionHandlerTest {

  private BotFixture f;
  private MemoryApprovalService service;

  @BeforeEach
  void start() throws Exception {
    f = new BotFixture(new InMemorySlackStore());
    service =
        new MemoryApprovalService(
            f.bot.notifier(), BotFixture.DBA_GROUP, Clock.systemUTC(), Duration.ofMinutes(10));
    f.bot.start(service);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void aSignedClickOverHttpIsAcknowledgedAndDecided() throws Exception {
    ApprovalRequest r =
        BotFixture.request(service, BotFixture.etlNightly(), "DROP TABLE app.orders");
    Callback click =
        f.callbacks.signed(f.callbacks.click(BotFixture.DBA, ActionIds.approve(r.id()), r.id()));
    try (SlackInteractionHttpServer http =
        SlackInteractionHttpServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            "/slack/interactions",
            f.handler())) {
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest.Builder post =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + http.port() + "/slack/interactions"))
              .POST(HttpRequest.BodyPublishers.ofByteArray(click.body()));
      click
          .headers()
          .forEach(
              (k, v) -> {
                if (!k.equalsIgnoreCase("Content-Type")) {
                  post.header(k, v.get(0));
                }
              });
      post.header("Content-Type", "application/x-www-form-urlencoded");

      HttpResponse<String> response =
          client.send(post.build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> get =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + http.port() + "/slack/interactions"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(get.statusCode()).isEqualTo(405);
      eventually(
          () -> service.find(r.id()).orElseThrow().state() == ApprovalState.APPROVED, "approved");
    }
  }

  @Test
  void malformedOversizedAndForeignPayloads() {
    Callback noPayload = signedBody("token=abc".getBytes(StandardCharsets.UTF_8));
    Callback notJson = signedBody("payload=%7Bnot-json".getBytes(StandardCharsets.UTF_8));
    JsonObject shortcut = new JsonObject();
    shortcut.addProperty("type", "shortcut");
    Callback other = f.callbacks.signed(shortcut);
    byte[] huge = new byte[SlackInteractionHandler.MAX_BODY_BYTES + 1];

    assertThat(handle(noPayload).status()).isEqualTo(400);
    assertThat(handle(notJson).status()).isEqualTo(400);
    assertThat(handle(other).status()).isEqualTo(200);
    assertThat(f.handler().handle(huge, Map.of()).status()).isEqualTo(413);
  }

  @Test
  void aClickForSomethingElseIsIgnored() {
    ApprovalRequest r =
        BotFixture.request(service, BotFixture.etlNightly(), "DROP TABLE app.orders");
    JsonObject click = f.callbacks.click(BotFixture.DBA, "gatehouse.approve:not-a-uuid", r.id());

    assertThat(handle(f.callbacks.signed(click)).status()).isEqualTo(200);

    assertThat(f.slack.calls("users.info")).isEmpty();
    assertThat(service.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void aFullClickQueueAsksSlackToRetry() {
    SlackApi api = new SlackApi(f.config);
    SlackInteractionHandler handler =
        new SlackInteractionHandler(
            new SlackSignature(BotFixture.SIGNING_SECRET, Duration.ofMinutes(5), Clock.systemUTC()),
            api,
            new SlackIdentityResolver(f.config, api, Clock.systemUTC()),
            BotFixture.DBA_GROUP,
            new SlackOutbox(f.config, api, new InMemorySlackStore(), Clock.systemUTC()),
            new dev.gatehouse.slack.audit.AuditTrailSlackAuditLog(f.audit),
            () -> service,
            work -> {
              throw new RejectedExecutionException("full");
            },
            Clock.systemUTC());
    ApprovalRequest r =
        BotFixture.request(service, BotFixture.etlNightly(), "DROP TABLE app.orders");
    Callback click =
        f.callbacks.signed(f.callbacks.click(BotFixture.DBA, ActionIds.approve(r.id()), r.id()));

    assertThat(handler.handle(click.body(), click.headers()).status()).isEqualTo(503);
  }

  private SlackInteractionHandler.Response handle(Callback cb) {
    return f.handler().handle(cb.body(), cb.headers());
  }

  private Callback signedBody(byte[] body) {
    String ts = String.valueOf(System.currentTimeMillis() / 1000);
    String sig =
        new SlackSignature(BotFixture.SIGNING_SECRET, Duration.ofMinutes(5), Clock.systemUTC())
            .sign(ts, body);
    Map<String, List<String>> headers = SignedCallbacks.headers(ts, sig);
    return new Callback(body, headers);
  }
}
