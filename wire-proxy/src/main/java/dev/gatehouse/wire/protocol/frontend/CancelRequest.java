package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.CancelKey;
import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * CancelRequest: sent on a new connection, names the session by its backend key data; the secret is
 * 4 bytes in protocol 3.0 and up to 256 from 3.2 on, as long as the frame says.
 */
public record CancelRequest(int processId, byte[] secretKey) implements FrontendMessage {

  public CancelRequest {
    secretKey = secretKey.clone();
  }

  /** A protocol 3.0 request: a 4-byte secret. */
  public CancelRequest(int processId, int secretKey) {
    this(processId, CancelKey.of(secretKey));
  }

  static CancelRequest decode(ByteBuf body) {
    int processId = body.readInt();
    byte[] secret = new byte[body.readableBytes()];
    body.readBytes(secret);
    return new CancelRequest(processId, CancelKey.checked(secret, "cancel request packet"));
  }

  @Override
  public byte[] secretKey() {
    return secretKey.clone();
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.untypedFrame(
        out,
        b -> {
          b.writeInt(CANCEL_REQUEST_CODE);
          b.writeInt(processId);
          b.writeBytes(secretKey);
        });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CancelRequest c
        && c.processId == processId
        && Arrays.equals(c.secretKey, secretKey);
  }

  @Override
  public int hashCode() {
    return 31 * processId + Arrays.hashCode(secretKey);
  }

  @Override
  public String toString() {
    return "CancelRequest[processId=" + processId + ", key of " + secretKey.length + " bytes]";
  }
}
