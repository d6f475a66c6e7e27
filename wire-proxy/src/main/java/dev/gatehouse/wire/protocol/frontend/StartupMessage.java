package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.ProtocolViolation;
import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** StartupMessage: protocol version and parameters (user, database, options, application_name). */
public record StartupMessage(int protocolVersion, Map<String, String> parameters)
    implements FrontendMessage {

  public StartupMessage {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  static StartupMessage decode(int protocolVersion, ByteBuf body) {
    if (protocolVersion >> 16 != 3) {
      throw new ProtocolViolation(
          "unsupported protocol version "
              + (protocolVersion >> 16)
              + "."
              + (protocolVersion & 0xffff)
              + "; use protocol 3.0");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    while (true) {
      String name = Wire.readCString(body);
      if (name.isEmpty()) {
        break;
      }
      parameters.put(name, Wire.readCString(body));
    }
    Wire.expectEnd(body, "startup");
    return new StartupMessage(protocolVersion, parameters);
  }

  public String user() {
    return parameters.get("user");
  }

  /** The database; PostgreSQL defaults it to the user name. */
  public String database() {
    return parameters.getOrDefault("database", user());
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.untypedFrame(
        out,
        b -> {
          b.writeInt(protocolVersion);
          parameters.forEach(
              (k, v) -> {
                Wire.writeCString(b, k);
                Wire.writeCString(b, v);
              });
          b.writeByte(0);
        });
  }
}
