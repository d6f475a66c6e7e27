package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The field list shared by ErrorResponse and NoticeResponse. */
final class Fields {

  private Fields() {}

  static Map<Character, String> decode(ByteBuf body) {
    Map<Character, String> fields = new LinkedHashMap<>();
    while (body.isReadable()) {
      byte code = body.readByte();
      if (code == 0) {
        break;
      }
      fields.put((char) code, Wire.readCString(body));
    }
    return Collections.unmodifiableMap(fields);
  }

  static void encode(ByteBuf out, char type, Map<Character, String> fields) {
    Wire.frame(
        out,
        type,
        b -> {
          fields.forEach(
              (k, v) -> {
                b.writeByte(k);
                Wire.writeCString(b, v);
              });
          b.writeByte(0);
        });
  }

  static Map<Character, String> of(String severity, String code, String message, String detail) {
    Map<Character, String> fields = new LinkedHashMap<>();
    fields.put('S', severity);
    fields.put('V', severity);
    fields.put('C', code);
    fields.put('M', message);
    if (detail != null) {
      fields.put('D', detail);
    }
    return Collections.unmodifiableMap(fields);
  }
}
