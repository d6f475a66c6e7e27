package dev.gatehouse.wire.it;

import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.PasswordMessage;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A bare protocol client over a socket, for what real drivers never send (or send too fast). */
final class RawClient implements AutoCloseable {

  final Socket socket;
  final DataInputStream in;
  final OutputStream out;

  RawClient(int port) throws IOException {
    this(port, "127.0.0.1");
  }

  /** From {@code localAddress} (another loopback address, 127.0.0.2 say), to the server's. */
  RawClient(int port, String localAddress) throws IOException {
    socket =
        new Socket(
            java.net.InetAddress.getByName("127.0.0.1"),
            port,
            java.net.InetAddress.getByName(localAddress),
            0);
    socket.setSoTimeout(30_000);
    // Buffered: a result of many rows is read in a few system calls, not three per message.
    in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
    out = socket.getOutputStream();
  }

  /** Startup and token authentication up to the first ReadyForQuery. */
  static RawClient login(int port, String user, String database, String token) throws IOException {
    RawClient c = new RawClient(port);
    c.send(
        new StartupMessage(
            FrontendMessage.PROTOCOL_3_0, Map.of("user", user, "database", database)));
    c.next(); // AuthenticationCleartextPassword
    c.send(new PasswordMessage(token));
    c.until('Z');
    return c;
  }

  void send(FrontendMessage... messages) throws IOException {
    ByteBuf buf = Unpooled.buffer();
    for (FrontendMessage m : messages) {
      m.encode(buf);
    }
    sendRaw(buf);
  }

  void sendRaw(ByteBuf buf) throws IOException {
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    out.write(bytes);
    out.flush();
  }

  BackendMessage next() throws IOException {
    byte type = in.readByte();
    int length = in.readInt();
    byte[] body = new byte[length - 4];
    in.readFully(body);
    ByteBuf frame = Unpooled.buffer(length + 1).writeByte(type).writeInt(length).writeBytes(body);
    return BackendMessage.decode(new Frame(type, frame));
  }

  /** Every message up to and including the first of type {@code type}. */
  List<BackendMessage> until(char type) throws IOException {
    List<BackendMessage> messages = new ArrayList<>();
    while (true) {
      byte t = in.readByte();
      int length = in.readInt();
      byte[] body = new byte[length - 4];
      in.readFully(body);
      ByteBuf frame = Unpooled.buffer(length + 1).writeByte(t).writeInt(length).writeBytes(body);
      messages.add(BackendMessage.decode(new Frame(t, frame)));
      if (t == type) {
        return messages;
      }
    }
  }

  /** The raw bytes of every message up to and including the first of type {@code type}. */
  byte[] rawUntil(char type) throws IOException {
    java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
    while (true) {
      byte t = in.readByte();
      int length = in.readInt();
      byte[] body = new byte[length - 4];
      in.readFully(body);
      raw.write(t);
      raw.write(length >>> 24);
      raw.write(length >>> 16);
      raw.write(length >>> 8);
      raw.write(length);
      raw.write(body);
      if (t == type) {
        return raw.toByteArray();
      }
    }
  }

  /** True when the server closed the connection (read returns end of stream). */
  boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
