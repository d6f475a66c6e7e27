package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.ProtocolViolation;
import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** CommandComplete: the command tag, e.g. {@code SELECT 5} or {@code INSERT 0 1}. */
public record CommandComplete(String tag) implements BackendMessage {

  static CommandComplete decode(ByteBuf body) {
    return new CommandComplete(Wire.readCString(body));
  }

  /**
   * The row count of a CommandComplete body, as {@link #rows()}, read in place without decoding the
   * tag (the frame itself is relayed as its bytes).
   */
  public static long rows(ByteBuf body) {
    int from = body.readerIndex();
    int end = body.indexOf(from, body.writerIndex(), (byte) 0);
    if (end < 0) {
      throw new ProtocolViolation("unterminated string in message");
    }
    int digits = end;
    while (digits > from && isDigit(body.getByte(digits - 1))) {
      digits--;
    }
    boolean plain = digits > from && body.getByte(digits - 1) == ' ' && digits < end;
    if (!plain || end - digits > 18) {
      // No count, or an unusual one: decide as the decoded tag does.
      return decode(body.duplicate()).rows();
    }
    long rows = 0;
    for (int i = digits; i < end; i++) {
      rows = rows * 10 + (body.getByte(i) - '0');
    }
    return rows;
  }

  /**
   * True when the tag of a CommandComplete body counts rows read, not changed: {@code SELECT n}
   * (also a {@code SELECT INTO}'s, which the caller must count itself), {@code FETCH n}, {@code
   * MOVE n}.
   */
  public static boolean countsReads(ByteBuf body) {
    return startsWith(body, "SELECT ") || startsWith(body, "FETCH ") || startsWith(body, "MOVE ");
  }

  private static boolean startsWith(ByteBuf body, String prefix) {
    int from = body.readerIndex();
    if (body.writerIndex() - from < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (body.getByte(from + i) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  /** The row count at the end of the tag, or 0 when the command reports none. */
  public long rows() {
    int space = tag.lastIndexOf(' ');
    if (space < 0) {
      return 0;
    }
    try {
      return Long.parseLong(tag.substring(space + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, 'C', b -> Wire.writeCString(b, tag));
  }
}
