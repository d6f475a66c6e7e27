package dev.gatehouse.mcp.auth;

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
 * even when nothing else is being sent. Used only on the thread that serves the call, so it never
 * interleaves with the response's events.
 */
final class CallerProbe implements BooleanSupplier {

  private static final byte[] COMMENT = ": waiting\n\n".getBytes(StandardCharsets.UTF_8);

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
