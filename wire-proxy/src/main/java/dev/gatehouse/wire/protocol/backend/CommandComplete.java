package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** CommandComplete: the command tag, e.g. {@code SELECT 5} or {@code INSERT 0 1}. */
public record CommandComplete(String tag) implements BackendMessage {

  static CommandComplete decode(ByteBuf body) {
    return new CommandComplete(Wire.readCString(body));
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
