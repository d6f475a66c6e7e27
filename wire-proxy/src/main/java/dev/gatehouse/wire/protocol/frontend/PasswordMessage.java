package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;

/** PasswordMessage: a cleartext or md5 password (from clients of the proxy: the OIDC token). */
public record PasswordMessage(String password) implements FrontendMessage {

  static PasswordMessage decode(ByteBuf body) {
    PasswordMessage m = new PasswordMessage(Wire.readCString(body));
    Wire.expectEnd(body, "password");
    return m;
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(out, 'p', b -> Wire.writeCString(b, password));
  }

  @Override
  public String toString() {
    return "PasswordMessage[***]";
  }
}
