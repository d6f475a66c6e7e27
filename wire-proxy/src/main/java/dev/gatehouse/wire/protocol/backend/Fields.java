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

  /**
   * The order PostgreSQL writes the fields in (severity first, as some clients read it before the
   * rest); fields it does not know follow in code order, so the bytes never depend on a map's
   * order.
   */
  private static final String SERVER_ORDER = "SVCMDHPpqWstcdnFLR";

  /** Writes {@code fields} in {@link #SERVER_ORDER}, then any others sorted by code. */
  static void encode(ByteBuf out, char type, Map<Character, String> fields) {
    Wire.frame(
        out,
        type,
        b -> {
          for (int i = 0; i < SERVER_ORDER.length(); i++) {
            char code = SERVER_ORDER.charAt(i);
            String value = fields.get(code);
            if (value != null) {
              write(b, code, value);
            }
          }
          new java.util.TreeMap<>(fields)
              .forEach(
                  (code, value) -> {
                    if (SERVER_ORDER.indexOf(code) < 0) {
                      write(b, code, value);
                    }
                  });
          b.writeByte(0);
        });
  }

  private static void write(ByteBuf b, char code, String value) {
    b.writeByte(code);
    Wire.writeCString(b, value);
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
