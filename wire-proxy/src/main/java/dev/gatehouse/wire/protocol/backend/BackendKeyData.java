package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.CancelKey;
import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * BackendKeyData: the key a client quotes in a CancelRequest; its secret is 4 bytes in protocol
 * 3.0, and as long as the message (up to 256 bytes) from 3.2 on.
 */
public record BackendKeyData(int processId, byte[] secretKey) implements BackendMessage {

  public BackendKeyData {
    secretKey = secretKey.clone();
  }

  /** A protocol 3.0 key: a 4-byte secret. */
  public BackendKeyData(int processId, int secretKey) {
    this(processId, CancelKey.of(secretKey));
  }

  static BackendKeyData decode(ByteBuf body) {
    int processId = body.readInt();
    byte[] secret = new byte[body.readableBytes()];
    body.readBytes(secret);
    return new BackendKeyData(processId, CancelKey.checked(secret, "backend key data"));
  }

  @Override
  public byte[] secretKey() {
    return secretKey.clone();
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'K',
        b -> {
          b.writeInt(processId);
          b.writeBytes(secretKey);
        });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BackendKeyData k
        && k.processId == processId
        && Arrays.equals(k.secretKey, secretKey);
  }

  @Override
  public int hashCode() {
    return 31 * processId + Arrays.hashCode(secretKey);
  }

  @Override
  public String toString() {
    return "BackendKeyData[processId=" + processId + ", key of " + secretKey.length + " bytes]";
  }
}
