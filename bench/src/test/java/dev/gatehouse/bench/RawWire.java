package dev.gatehouse.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A bare PostgreSQL protocol 3.0 client over a socket, for what real drivers never do: stop
 * reading, go silent, trickle bytes, send malformed frames. Only the few messages the fault and
 * abuse tests need.
 */
final class RawWire implements AutoCloseable {

  /** One backend message: its type and body. */
  record Message(char type, byte[] body) {
    /** The {@code C} (SQLSTATE) field of an ErrorResponse, or null. */
    String sqlState() {
      if (type != 'E') {
        return null;
      }
      for (int i = 0; i < body.length && body[i] != 0; ) {
        int end = i + 1;
        while (end < body.length && body[end] != 0) {
          end++;
        }
        if (body[i] == 'C') {
          return new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
        }
        i = end + 1;
      }
      return null;
    }
  }

  final Socket socket;
  final DataInputStream in;
  final OutputStream out;

  RawWire(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(60_000);
    in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    out = socket.getOutputStream();
  }

  /** Connects, sends the startup message and the token, and reads up to ReadyForQuery. */
  static RawWire login(int port, String user, String token, Map<String, String> extra)
      throws IOException {
    RawWire w = new RawWire(port);
    w.out.write(startup(user, extra));
    w.out.flush();
    w.next(); // AuthenticationCleartextPassword
    w.send('p', cstring(token));
    Message m;
    do {
      m = w.next();
      if (m.type() == 'E') {
        throw new IOException("login refused: " + m.sqlState());
      }
    } while (m.type() != 'Z');
    return w;
  }

  static byte[] startup(String user, Map<String, String> extra) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(ByteBuffer.allocate(4).putInt(196608).array());
    body.writeBytes(cstring("user"));
    body.writeBytes(cstring(user));
    body.writeBytes(cstring("database"));
    body.writeBytes(cstring("shop"));
    extra.forEach(
        (k, v) -> {
          body.writeBytes(cstring(k));
          body.writeBytes(cstring(v));
        });
    body.write(0);
    byte[] b = body.toByteArray();
    return ByteBuffer.allocate(4 + b.length).putInt(4 + b.length).put(b).array();
  }

  static byte[] cstring(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 0, b.length);
    return out;
  }

  /** Sends one typed frontend message. */
  void send(char type, byte[] body) throws IOException {
    out.write(
        ByteBuffer.allocate(5 + body.length)
            .put((byte) type)
            .putInt(4 + body.length)
            .put(body)
            .array());
    out.flush();
  }

  void query(String sql) throws IOException {
    send('Q', cstring(sql));
  }

  Message next() throws IOException {
    char type = (char) in.readByte();
    int length = in.readInt();
    byte[] body = new byte[length - 4];
    in.readFully(body);
    return new Message(type, body);
  }

  /** Reads messages until {@code type}; returns the first ErrorResponse seen, or the last one. */
  Message until(char type) throws IOException {
    Message error = null;
    Message m;
    do {
      m = next();
      if (m.type() == 'E' && error == null) {
        error = m;
      }
    } while (m.type() != type);
    return error == null ? m : error;
  }

  /**
   * Reads until the server closes the connection; returns the last ErrorResponse before it (null if
   * none). Throws {@link SocketTimeoutException} if it stays open past the socket's timeout.
   */
  Message untilClosed() throws IOException {
    Message error = null;
    try {
      while (true) {
        Message m = next();
        if (m.type() == 'E') {
          error = m;
        }
      }
    } catch (EOFException | SocketException e) {
      return error;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
