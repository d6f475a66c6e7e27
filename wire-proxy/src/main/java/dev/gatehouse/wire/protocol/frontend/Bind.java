package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Bind: binds parameters to a prepared statement, creating a portal. */
public record Bind(
    String portal,
    String statement,
    List<Short> parameterFormats,
    List<byte[]> parameters,
    List<Short> resultFormats)
    implements FrontendMessage {

  public Bind {
    parameterFormats = List.copyOf(parameterFormats);
    parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
    resultFormats = List.copyOf(resultFormats);
  }

  static Bind decode(ByteBuf body) {
    String portal = Wire.readCString(body);
    String statement = Wire.readCString(body);
    List<Short> parameterFormats = readShorts(body);
    int count = body.readUnsignedShort();
    List<byte[]> parameters = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      parameters.add(Wire.readValue(body));
    }
    List<Short> resultFormats = readShorts(body);
    Wire.expectEnd(body, "bind");
    return new Bind(portal, statement, parameterFormats, parameters, resultFormats);
  }

  private static List<Short> readShorts(ByteBuf body) {
    int count = body.readUnsignedShort();
    List<Short> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(body.readShort());
    }
    return values;
  }

  /** The format of result column {@code column}: one code for all, one per column, or text. */
  public int resultFormat(int column) {
    if (resultFormats.isEmpty()) {
      return 0;
    }
    return resultFormats.size() == 1 ? resultFormats.get(0) : resultFormats.get(column);
  }

  /** Parameters as text for the audit record; binary values as hex. */
  public List<String> parametersAsText() {
    List<String> texts = new ArrayList<>(parameters.size());
    for (int i = 0; i < parameters.size(); i++) {
      byte[] value = parameters.get(i);
      int format =
          parameterFormats.isEmpty()
              ? 0
              : parameterFormats.size() == 1 ? parameterFormats.get(0) : parameterFormats.get(i);
      if (value == null) {
        texts.add(null);
      } else if (format == 0) {
        texts.add(new String(value, StandardCharsets.UTF_8));
      } else {
        texts.add("\\x" + java.util.HexFormat.of().formatHex(value));
      }
    }
    return texts;
  }

  @Override
  public void encode(ByteBuf out) {
    Wire.frame(
        out,
        'B',
        b -> {
          Wire.writeCString(b, portal);
          Wire.writeCString(b, statement);
          b.writeShort(parameterFormats.size());
          parameterFormats.forEach(f -> b.writeShort(f));
          b.writeShort(parameters.size());
          parameters.forEach(p -> Wire.writeValue(b, p));
          b.writeShort(resultFormats.size());
          resultFormats.forEach(f -> b.writeShort(f));
        });
  }
}
