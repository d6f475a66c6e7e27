package dev.gatehouse.slack.interaction;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP endpoint for {@link SlackInteractionHandler} on the JDK's own server, for tests
 * and for running the bot without the gateway. The gateway mounts the handler on its own HTTP
 * server instead. Only {@code POST} is accepted, and bodies are read up to the handler's limit.
 */
public final class SlackInteractionHttpServer implements AutoCloseable {

  private final HttpServer server;

  private SlackInteractionHttpServer(HttpServer server) {
    this.server = server;
  }

  /** Serves {@code handler} at {@code path} on {@code address} (port 0 picks a free port). */
  public static SlackInteractionHttpServer start(
      InetSocketAddress address, String path, SlackInteractionHandler handler) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    server.createContext(path, exchange -> serve(exchange, handler));
    server.start();
    return new SlackInteractionHttpServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void serve(HttpExchange exchange, SlackInteractionHandler handler)
      throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().add("Allow", "POST");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body =
          readAtMost(exchange.getRequestBody(), SlackInteractionHandler.MAX_BODY_BYTES + 1);
      SlackInteractionHandler.Response response =
          handler.handle(body, exchange.getRequestHeaders());
      byte[] out = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", response.contentType());
      exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        exchange.getResponseBody().write(out);
      }
    }
  }

  private static byte[] readAtMost(InputStream in, int limit) throws IOException {
    return in.readNBytes(limit);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
