package dev.gatehouse.wire.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Reading and writing the protocol's primitive types: C strings and length-prefixed frames. */
public final class Wire {

  private Wire() {}

  /** Reads a NUL-terminated UTF-8 string; a missing terminator is a protocol violation. */
  public static String readCString(ByteBuf in) {
    int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) 0);
    if (end < 0) {
      throw new ProtocolViolation("unterminated string in message");
    }
    String s = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.UTF_8);
    in.readerIndex(end + 1);
    return s;
  }

  public static void writeCString(ByteBuf out, String s) {
    ByteBufUtil.writeUtf8(out, s);
    out.writeByte(0);
  }

  /** Writes a typed frame: the type byte, the length (patched after the body) and the body. */
  public static void frame(ByteBuf out, char type, Consumer<ByteBuf> body) {
    out.writeByte(type);
    untypedFrame(out, body);
  }

  /** Writes a frame without a type byte (startup phase). */
  public static void untypedFrame(ByteBuf out, Consumer<ByteBuf> body) {
    int lengthAt = out.writerIndex();
    out.writeInt(0);
    body.accept(out);
    out.setInt(lengthAt, out.writerIndex() - lengthAt);
  }

  /** Reads an int32-length-prefixed value (-1 is NULL) as bytes, or null. */
  public static byte[] readValue(ByteBuf in) {
    int length = in.readInt();
    if (length == -1) {
      return null;
    }
    // Checked before allocating: the length is the peer's word, the bytes must be in the frame.
    if (length < 0 || length > in.readableBytes()) {
      throw new ProtocolViolation("invalid value length " + length + " in message");
    }
    byte[] value = new byte[length];
    in.readBytes(value);
    return value;
  }

  public static void writeValue(ByteBuf out, byte[] value) {
    if (value == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(value.length);
      out.writeBytes(value);
    }
  }

  /** Fails when a decoder left bytes unread: the message was longer than its fields. */
  public static void expectEnd(ByteBuf in, String message) {
    if (in.isReadable()) {
      throw new ProtocolViolation("malformed " + message + " message: trailing bytes");
    }
  }
}
