package dev.gatehouse.mcp.auth;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Screens a POST to the MCP endpoint before the SDK sees it: a body that is too large, not JSON, a
 * batch, or not one JSON-RPC message gets a fixed JSON-RPC error; a request for a method Gatehouse
 * does not serve gets {@code -32601} as one JSON response that ends (the SDK would open an event
 * stream for it that never ends). Everything else goes on with its body re-readable.
 */
final class RequestScreen {

  /** Requests the MCP server answers; notifications and responses pass on as they are. */
  static final Set<String> METHODS = Set.of("initialize", "ping", "tools/list", "tools/call");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Requests that may be answered with one JSON response when they ask for no progress. */
  static final Set<String> SINGLE = Set.of("ping", "tools/list", "tools/call");

  /**
   * The outcome: refuse with a status and body, or go on with this request; {@code single} when it
   * is a request of {@link #SINGLE} without a {@code params._meta.progressToken} (nothing but its
   * response will be sent, so it needs no event stream).
   */
  record Outcome(int status, byte[] body, HttpServletRequest request, boolean single) {
    Outcome(int status, byte[] body, HttpServletRequest request) {
      this(status, body, request, false);
    }
  }

  /** A screened body: its refusal, or (null) that it goes on, and whether it is single. */
  private record Verdict(Outcome refusal, boolean single) {}

  private RequestScreen() {}

  static Outcome screen(HttpServletRequest request, int maxBody) throws IOException {
    if (!"POST".equals(request.getMethod())) {
      return new Outcome(0, null, request);
    }
    long declared = request.getContentLengthLong();
    if (declared > maxBody) {
      return refuse(413, null, JsonRpcBodies.INVALID_REQUEST, "request body too large");
    }
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(maxBody + 1);
    }
    if (body.length > maxBody) {
      return refuse(413, null, JsonRpcBodies.INVALID_REQUEST, "request body too large");
    }
    Verdict verdict = judge(body);
    if (verdict.refusal() != null) {
      return verdict.refusal();
    }
    return new Outcome(0, null, new Replay(request, body), verdict.single());
  }

  /** The answer to a body that must not reach the SDK, or null when it may go on. */
  static Outcome classify(byte[] body) {
    return judge(body).refusal();
  }

  private static Verdict judge(byte[] body) {
    if (!isUtf8(body)) {
      // The parser checks bytes only where it decodes them (not always in names it has seen), so
      // the screen checks the whole body itself: JSON-RPC over HTTP is UTF-8 (RFC 8259, section
      // 8.1).
      return refused(
          400, null, JsonRpcBodies.PARSE_ERROR, "parse error: the body is not valid UTF-8");
    }
    JsonNode message;
    try {
      message = JSON.readTree(body);
    } catch (JacksonException e) {
      return refused(
          400, null, JsonRpcBodies.PARSE_ERROR, "parse error: the body is not valid JSON");
    }
    if (message == null || message.isMissingNode()) {
      return refused(400, null, JsonRpcBodies.PARSE_ERROR, "parse error: the body is empty");
    }
    if (message.isArray()) {
      return refused(
          400,
          null,
          JsonRpcBodies.INVALID_REQUEST,
          "batches are not supported; send one JSON-RPC message per request");
    }
    if (!message.isObject() || !"2.0".equals(text(message.get("jsonrpc")))) {
      return refused(
          400, null, JsonRpcBodies.INVALID_REQUEST, "invalid request: not a JSON-RPC 2.0 message");
    }
    JsonNode method = message.get("method");
    JsonNode id = message.get("id");
    if (method != null && id != null && !id.isNull()) {
      String name = text(method);
      if (name == null || !METHODS.contains(name)) {
        Object idValue = id.isNumber() ? id.numberValue() : text(id);
        return new Verdict(
            new Outcome(
                200,
                JsonRpcBodies.error(
                    idValue,
                    JsonRpcBodies.METHOD_NOT_FOUND,
                    "method not found: this server offers only `initialize`, `ping`, `tools/list`"
                        + " and `tools/call`"),
                null),
            false);
      }
      return new Verdict(null, SINGLE.contains(name) && !asksForProgress(message));
    }
    return new Verdict(null, false);
  }

  /** Whether the request carries a {@code params._meta.progressToken} (JSON null is none). */
  private static boolean asksForProgress(JsonNode message) {
    JsonNode params = message.get("params");
    JsonNode meta = params == null ? null : params.get("_meta");
    JsonNode token = meta == null ? null : meta.get("progressToken");
    return token != null && !token.isNull();
  }

  private static Verdict refused(int status, Object id, int code, String message) {
    return new Verdict(refuse(status, id, code, message), false);
  }

  private static boolean isUtf8(byte[] body) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static Outcome refuse(int status, Object id, int code, String message) {
    return new Outcome(status, JsonRpcBodies.error(id, code, message), null);
  }

  private static String text(JsonNode node) {
    return node != null && node.isString() ? node.asString() : null;
  }

  /** The request with its body read once and served again to whoever reads it next. */
  private static final class Replay extends HttpServletRequestWrapper {
    private final byte[] body;

    Replay(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {}
      };
    }

    @Override
    public java.io.BufferedReader getReader() {
      return new java.io.BufferedReader(
          new java.io.InputStreamReader(getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
