package dev.gatehouse.slack.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.testkit.Eventually;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A local stand-in for the Slack Web API on 127.0.0.1 that the real SDK talks to: it answers like
 * Slack ({@code ok: true} JSON), records every call, and can be told to answer 429 with {@code
 * Retry-After}, answer 500, or be down altogether.
 */
public final class FakeSlack implements AutoCloseable {

  /** One recorded Web API call. */
  public record Call(String method, Map<String, String> params, String authorization, Instant at) {
    public String param(String name) {
      return params.getOrDefault(name, "");
    }
  }

  /** A canned failure for the next call of a method. */
  private record Failure(int status, String retryAfter) {}

  /** A Slack user as users.info returns it. */
  public record User(
      String id, String teamId, String email, boolean emailConfirmed, boolean guest) {}

  public static final String TEAM = "T0GATEHSE";
  public static final String CHANNEL = "C0APPROVAL";

  private final String token;
  private final List<Call> calls = new ArrayList<>();
  private final Map<String, Deque<Failure>> failures = new ConcurrentHashMap<>();
  private final Map<String, User> users = new ConcurrentHashMap<>();
  private final AtomicLong ts = new AtomicLong(1_700_000_000_000100L);
  private HttpServer server;
  private int port;

  public FakeSlack(String token) throws IOException {
    this.token = token;
    start(0);
  }

  private void start(int wanted) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 0);
    server.createContext("/api/", this::handle);
    server.start();
    port = server.getAddress().getPort();
  }

  /** The methods endpoint URL prefix the SDK should use. */
  public String url() {
    return "http://127.0.0.1:" + port + "/api/";
  }

  public void addUser(User user) {
    users.put(user.id(), user);
  }

  /** The next {@code times} calls of {@code method} get 429 with {@code Retry-After}. */
  public void rateLimit(String method, int times, int retryAfterSeconds) {
    for (int i = 0; i < times; i++) {
      failures
          .computeIfAbsent(method, m -> new ArrayDeque<>())
          .add(new Failure(429, String.valueOf(retryAfterSeconds)));
    }
  }

  /** The next {@code times} calls of {@code method} get HTTP 500. */
  public void fail(String method, int times) {
    for (int i = 0; i < times; i++) {
      failures.computeIfAbsent(method, m -> new ArrayDeque<>()).add(new Failure(500, null));
    }
  }

  /** Stops listening: connections are refused, as when Slack is unreachable. */
  public synchronized void down() {
    server.stop(0);
  }

  /** Listens again on the same port. */
  public synchronized void up() throws IOException {
    start(port);
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  /** Waits up to {@code timeout} for a call of {@code method} that {@code matches}. */
  public Call await(String method, Predicate<Call> matches, Duration timeout) {
    if (!Eventually.holdsWithin(timeout, () -> calls(method).stream().anyMatch(matches))) {
      throw new AssertionError(
          "no " + method + " call matching within " + timeout + "; calls: " + calls());
    }
    return calls(method).stream().filter(matches).findFirst().orElseThrow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestURI().getPath().substring("/api/".length());
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> params = parse(exchange.getRequestHeaders().getFirst("Content-Type"), body);
    synchronized (this) {
      calls.add(
          new Call(
              method,
              params,
              exchange.getRequestHeaders().getFirst("Authorization"),
              Instant.now()));
    }
    Deque<Failure> queued = failures.get(method);
    Failure failure = queued == null ? null : queued.poll();
    if (failure != null) {
      if (failure.retryAfter() != null) {
        exchange.getResponseHeaders().add("Retry-After", failure.retryAfter());
      }
      respond(exchange, failure.status(), "{\"ok\":false,\"error\":\"ratelimited\"}");
      return;
    }
    if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      respond(exchange, 200, "{\"ok\":false,\"error\":\"invalid_auth\"}");
      return;
    }
    respond(exchange, 200, answer(method, params).toString());
  }

  private JsonObject answer(String method, Map<String, String> params) {
    JsonObject r = new JsonObject();
    r.addProperty("ok", true);
    switch (method) {
      case "chat.postMessage", "chat.update" -> {
        String channel = params.getOrDefault("channel", "");
        r.addProperty("channel", channel.startsWith("U") ? "D" + channel.substring(1) : channel);
        r.addProperty("ts", method.equals("chat.update") ? params.get("ts") : nextTs());
      }
      case "chat.postEphemeral" -> r.addProperty("message_ts", nextTs());
      case "views.open" -> {
        JsonObject view = new JsonObject();
        view.addProperty("id", "V" + ts.incrementAndGet());
        r.add("view", view);
      }
      case "users.info" -> {
        User u = users.get(params.get("user"));
        if (u == null) {
          r.addProperty("ok", false);
          r.addProperty("error", "user_not_found");
        } else {
          JsonObject user = new JsonObject();
          user.addProperty("id", u.id());
          user.addProperty("team_id", u.teamId());
          user.addProperty("name", u.id().toLowerCase());
          user.addProperty("deleted", false);
          user.addProperty("is_bot", false);
          user.addProperty("is_restricted", u.guest());
          user.addProperty("is_email_confirmed", u.emailConfirmed());
          JsonObject profile = new JsonObject();
          profile.addProperty("email", u.email());
          profile.addProperty("real_name", "Display Name Anyone Can Set");
          user.add("profile", profile);
          r.add("user", user);
        }
      }
      default -> {
        r.addProperty("ok", false);
        r.addProperty("error", "unknown_method");
      }
    }
    return r;
  }

  private String nextTs() {
    long v = ts.incrementAndGet();
    return (v / 1_000_000) + "." + String.format("%06d", v % 1_000_000);
  }

  private static Map<String, String> parse(String contentType, String body) {
    Map<String, String> params = new LinkedHashMap<>();
    if (contentType != null && contentType.startsWith("application/json")) {
      JsonParser.parseString(body)
          .getAsJsonObject()
          .entrySet()
          .forEach(
              e ->
                  params.put(
                      e.getKey(),
                      e.getValue().isJsonPrimitive()
                          ? e.getValue().getAsString()
                          : e.getValue().toString()));
      return params;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
