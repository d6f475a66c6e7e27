package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** NegotiateProtocolVersion: the newest minor version and the options the server did not know. */
public record NegotiateProtocolVersion(int newestMinor, List<String> unrecognized)
    implements BackendMessage {

  public NegotiateProtocolVersion {
    unrecognized = List.copyOf(unrecognized);
  }

  static NegotiateProtocolVersion decode(ByteBuf body) {
    int minor = body.readInt();
    int count = body.readInt();
    List<String> options = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      options.add(Wire.readCString(body));
    }
    return new NegotiateProtocolVersion(minor, options);
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'v',
        b -> {
          b.writeInt(newestMinor);
          b.writeInt(unrecognized.size());
          unrecognized.forEach(o -> Wire.writeCString(b, o));
        });
  }
}
