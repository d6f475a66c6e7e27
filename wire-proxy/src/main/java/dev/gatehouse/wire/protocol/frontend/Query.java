package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** Query: a simple-protocol message of one or more statements. */
public record Query(String sql) implements FrontendMessage {

  static Query decode(ByteBuf body) {
    Query q = new Query(Wire.readCString(body));
    Wire.expectEnd(body, "query");
    return q;
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, 'Q', b -> Wire.writeCString(b, sql));
  }
}
