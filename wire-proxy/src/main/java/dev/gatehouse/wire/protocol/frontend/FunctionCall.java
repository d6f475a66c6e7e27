package dev.gatehouse.wire.protocol.frontend;

import io.netty.buffer.ByteBuf;

/** FunctionCall: the legacy fast-path call of a function by OID (denied by the proxy). */
public record FunctionCall(int functionOid, byte[] rest) implements FrontendMessage {

  static FunctionCall decode(ByteBuf body) {
    int oid = body.readInt();
    byte[] rest = new byte[body.readableBytes()];
    body.readBytes(rest);
    return new FunctionCall(oid, rest);
  }

  @Override
  public void encode(ByteBuf out) {
    dev.gatehouse.wire.protocol.Wire.frame(
        out,
        'F',
        b -> {
          b.writeInt(functionOid);
          b.writeBytes(rest);
        });
  }
}
