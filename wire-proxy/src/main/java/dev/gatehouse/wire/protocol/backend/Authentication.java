package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Authentication*: one record for every authentication request, told apart by its code. */
public record Authentication(int code, byte[] data) implements BackendMessage {

  public static final int OK = 0;
  public static final int CLEARTEXT_PASSWORD = 3;
  public static final int MD5_PASSWORD = 5;
  public static final int SASL = 10;
  public static final int SASL_CONTINUE = 11;
  public static final int SASL_FINAL = 12;

  public static Authentication ok() {
    return new Authentication(OK, new byte[0]);
  }

  public static Authentication cleartextPassword() {
    return new Authentication(CLEARTEXT_PASSWORD, new byte[0]);
  }

  static Authentication decode(ByteBuf body) {
    int code = body.readInt();
    byte[] data = new byte[body.readableBytes()];
    body.readBytes(data);
    return new Authentication(code, data);
  }

  /** For {@link #SASL}: the mechanisms the server offers. */
  public List<String> mechanisms() {
    List<String> mechanisms = new ArrayList<>();
    ByteBuf in = io.netty.buffer.Unpooled.wrappedBuffer(data);
    while (in.isReadable()) {
      String m = Wire.readCString(in);
      if (m.isEmpty()) {
        break;
      }
      mechanisms.add(m);
    }
    return mechanisms;
  }

  /** For SASL continue and final: the server's message as text. */
  public String saslMessage() {
    return new String(data, StandardCharsets.UTF_8);
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'R',
        b -> {
          b.writeInt(code);
          b.writeBytes(data);
        });
  }
}
