package dev.gatehouse.engine.masking;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Reading and writing the few wire formats masking must understand (PostgreSQL's send/recv). */
final class ValueCodec {

  private ValueCodec() {}

  static String utf8(byte[] value) {
    return new String(value, StandardCharsets.UTF_8);
  }

  static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  static String latin1(byte[] value) {
    return new String(value, StandardCharsets.ISO_8859_1);
  }

  /** bytea text output: hex ({@code \x...}) or the old escape format. */
  static byte[] byteaFromText(byte[] text) {
    if (text.length >= 2 && text[0] == '\\' && text[1] == 'x') {
      return HexFormat.of()
          .parseHex(new String(text, 2, text.length - 2, StandardCharsets.US_ASCII));
    }
    ByteBuffer out = ByteBuffer.allocate(text.length);
    for (int i = 0; i < text.length; i++) {
      if (text[i] == '\\' && i + 1 < text.length && text[i + 1] == '\\') {
        out.put((byte) '\\');
        i++;
      } else if (text[i] == '\\' && i + 3 < text.length) {
        out.put((byte) Integer.parseInt(new String(text, i + 1, 3, StandardCharsets.US_ASCII), 8));
        i += 3;
      } else {
        out.put(text[i]);
      }
    }
    byte[] result = new byte[out.position()];
    out.flip().get(result);
    return result;
  }

  static byte[] byteaToText(byte[] raw) {
    return ("\\x" + HexFormat.of().formatHex(raw)).getBytes(StandardCharsets.US_ASCII);
  }

  /** An integer cell as decimal text, from either format, or null when malformed. */
  static String integerText(byte[] value, int format) {
    if (format == ResultColumn.TEXT) {
      return new String(value, StandardCharsets.US_ASCII);
    }
    ByteBuffer b = ByteBuffer.wrap(value);
    return switch (value.length) {
      case 2 -> Short.toString(b.getShort());
      case 4 -> Integer.toString(b.getInt());
      case 8 -> Long.toString(b.getLong());
      default -> null;
    };
  }

  /** An integer of {@code size} bytes (2, 4 or 8) in the column's format. */
  static byte[] integer(long v, int size, int format) {
    if (format == ResultColumn.TEXT) {
      return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    switch (size) {
      case 2 -> b.putShort((short) v);
      case 4 -> b.putInt((int) v);
      default -> b.putLong(v);
    }
    return b.array();
  }

  /** A numeric cell as plain decimal text, from either format, or null when malformed or NaN. */
  static String numericText(byte[] value, int format) {
    if (format == ResultColumn.TEXT) {
      return new String(value, StandardCharsets.US_ASCII);
    }
    // numeric_send: ndigits, weight, sign, dscale, then base-10000 digits
    ByteBuffer b = ByteBuffer.wrap(value);
    if (value.length < 8) {
      return null;
    }
    int ndigits = b.getShort();
    int weight = b.getShort();
    int sign = b.getShort() & 0xffff;
    b.getShort();
    if (sign == 0xC000 || sign == 0xD000 || sign == 0xF000 || value.length < 8 + 2 * ndigits) {
      return null;
    }
    BigInteger unscaled = BigInteger.ZERO;
    for (int i = 0; i < ndigits; i++) {
      unscaled = unscaled.multiply(BigInteger.valueOf(10000)).add(BigInteger.valueOf(b.getShort()));
    }
    BigDecimal v = new BigDecimal(unscaled).scaleByPowerOfTen(4 * (weight - ndigits + 1));
    return (sign == 0x4000 ? v.negate() : v).toPlainString();
  }

  /** A uuid cell as its canonical text, from either format. */
  static String uuidText(byte[] value, int format) {
    if (format == ResultColumn.TEXT) {
      return new String(value, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
    }
    if (value.length != 16) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(value);
    return new java.util.UUID(b.getLong(), b.getLong()).toString();
  }
}
