package dev.gatehouse.mcp.auth;

import dev.gatehouse.mcp.transport.TransportKeys;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Tells whether an HTTP caller is still connected. A streamed response is asynchronous: when the
 * connection breaks, the container ends it with an error, which an async listener sees. Between
 * checks an SSE comment (which clients ignore) is written, so that a closed connection shows up
 * even when nothing else is being sent. A call answered with one JSON response (no stream) gets a
 * newline instead, whitespace before the JSON value (RFC 8259, section 2), which commits the
 * response as {@code 200 application/json}; a write that fails says the caller is gone. Used only
 * on the thread that serves the call, so it never interleaves with the response's events or body.
 */
final class CallerProbe implements BooleanSupplier {

  private static final byte[] COMMENT = ": waiting\n\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] WHITESPACE = "\n".getBytes(StandardCharsets.UTF_8);

  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private volatile boolean gone;
  private boolean listening;

  CallerProbe(HttpServletRequest request, HttpServletResponse response) {
    this.request = request;
    this.response = response;
  }

  @Override
  public boolean getAsBoolean() {
    if (gone) {
      return false;
    }
    if (!request.isAsyncStarted()) {
      if (Boolean.TRUE.equals(request.getAttribute(TransportKeys.JSON_ANSWER))) {
        return jsonAnswer();
      }
      // Not a stream (yet), or a stream the container has already ended.
      return !listening;
    }
    if (!listening) {
      // The first call only arms the probe: the stream may not have sent its headers yet.
      listening = true;
      request.getAsyncContext().addListener(new Listener());
      return true;
    }
    if (!response.isCommitted()) {
      return true;
    }
    try {
      response.getOutputStream().write(COMMENT);
      response.flushBuffer();
    } catch (IOException | IllegalStateException e) {
      gone = true;
    }
    return !gone;
  }

  /** The caller of a JSON answer: the first check only arms, later ones write whitespace. */
  private boolean jsonAnswer() {
    if (!listening) {
      listening = true;
      return true;
    }
    try {
      if (!response.isCommitted()) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      }
      response.getOutputStream().write(WHITESPACE);
      response.flushBuffer();
    } catch (IOException | IllegalStateException e) {
      gone = true;
    }
    return !gone;
  }

  private final class Listener implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      gone = true;
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      gone = true;
    }

    @Override
    public void onError(AsyncEvent event) {
      gone = true;
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // a new async cycle on the same request: keep listening
    }
  }
}
