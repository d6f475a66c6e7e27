package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** EmptyQueryResponse: the query string was empty. */
public record EmptyQueryResponse() implements BackendMessage {
  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, 'I', b -> {});
  }
}
