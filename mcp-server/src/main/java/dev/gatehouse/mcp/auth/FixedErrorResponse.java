package dev.gatehouse.mcp.auth;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A response whose error bodies are Gatehouse's fixed JSON-RPC errors: whatever the transport or
 * the container writes with a status of 400 or more (the SDK serialises whole exceptions, stack
 * trace included) is dropped, and {@link #finish()} writes the fixed body for that status instead.
 * Successful responses, streams included, pass through untouched.
 */
final class FixedErrorResponse extends HttpServletResponseWrapper {

  private final java.util.function.Consumer<String> sessionIssued;
  private boolean replaced;
  private ServletOutputStream stream;
  private PrintWriter writer;

  /**
   * @param sessionIssued told the {@code Mcp-Session-Id} the transport issues, before the client
   *     can see it
   */
  FixedErrorResponse(
      HttpServletResponse response, java.util.function.Consumer<String> sessionIssued) {
    super(response);
    this.sessionIssued = sessionIssued;
  }

  @Override
  public void addHeader(String name, String value) {
    issued(name, value);
    super.addHeader(name, value);
  }

  private void issued(String name, String value) {
    if (SESSION_HEADER.equalsIgnoreCase(name) && value != null && !error()) {
      sessionIssued.accept(value);
    }
  }

  static final String SESSION_HEADER = "Mcp-Session-Id";

  private boolean error() {
    return getStatus() >= 400;
  }

  @Override
  public void sendError(int sc, String msg) {
    setStatus(sc);
    replaced = true;
  }

  @Override
  public void sendError(int sc) {
    setStatus(sc);
    replaced = true;
  }

  @Override
  public void setContentLength(int len) {
    if (!error()) {
      super.setContentLength(len);
    }
  }

  @Override
  public void setContentLengthLong(long len) {
    if (!error()) {
      super.setContentLengthLong(len);
    }
  }

  @Override
  public void setHeader(String name, String value) {
    issued(name, value);
    if (!(error() && "Content-Length".equalsIgnoreCase(name))) {
      super.setHeader(name, value);
    }
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (!error()) {
      return super.getOutputStream();
    }
    replaced = true;
    if (stream == null) {
      stream = new Discarding();
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (!error()) {
      return super.getWriter();
    }
    if (writer == null) {
      writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8));
    }
    return writer;
  }

  /** Writes the fixed body when an error body was dropped (or an error had none). */
  void finish() throws IOException {
    HttpServletResponse response = (HttpServletResponse) getResponse();
    if (!error() || response.isCommitted() || (!replaced && response.getStatus() < 400)) {
      return;
    }
    byte[] body = JsonRpcBodies.forStatus(getStatus());
    response.resetBuffer();
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** Takes an error body the transport writes and forgets it. */
  private static final class Discarding extends ServletOutputStream {
    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {}
  }
}
