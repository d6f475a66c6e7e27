package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.masking.MaskPlan;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;

/** COPY's text format: tab-separated fields, {@code \N} for NULL, backslash escapes. */
final class CopyText {

  private CopyText() {}

  /** Masks one row line (with its trailing newline) field by field. */
  static byte[] maskLine(ByteBuf line, MaskPlan plan) {
    byte[] bytes = new byte[line.readableBytes()];
    line.getBytes(line.readerIndex(), bytes);
    int end = bytes.length;
    if (end > 0 && bytes[end - 1] == '\n') {
      end--;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 16);
    int column = 0;
    int start = 0;
    for (int i = 0; i <= end; i++) {
      if (i == end || bytes[i] == '\t') {
        if (column > 0) {
          out.write('\t');
        }
        writeField(out, bytes, start, i, column, plan);
        column++;
        start = i + 1;
      }
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static void writeField(
      ByteArrayOutputStream out, byte[] bytes, int from, int to, int column, MaskPlan plan) {
    if (!plan.inspects(column)) {
      out.write(bytes, from, to - from);
      return;
    }
    boolean isNull = to - from == 2 && bytes[from] == '\\' && bytes[from + 1] == 'N';
    byte[] masked = plan.apply(column, isNull ? null : unescape(bytes, from, to));
    if (masked == null) {
      out.write('\\');
      out.write('N');
    } else {
      escape(out, masked);
    }
  }

  static byte[] unescape(byte[] bytes, int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if (b != '\\' || i + 1 >= to) {
        out.write(b);
        continue;
      }
      byte n = bytes[++i];
      switch (n) {
        case 'b' -> out.write('\b');
        case 'f' -> out.write('\f');
        case 'n' -> out.write('\n');
        case 'r' -> out.write('\r');
        case 't' -> out.write('\t');
        case 'v' -> out.write(0x0b);
        case 'x' -> {
          int value = 0;
          int digits = 0;
          while (digits < 2 && i + 1 < to && Character.digit(bytes[i + 1], 16) >= 0) {
            value = value * 16 + Character.digit(bytes[++i], 16);
            digits++;
          }
          out.write(digits == 0 ? 'x' : value);
        }
        default -> {
          if (n >= '0' && n <= '7') {
            int value = n - '0';
            for (int d = 0;
                d < 2 && i + 1 < to && bytes[i + 1] >= '0' && bytes[i + 1] <= '7';
                d++) {
              value = value * 8 + (bytes[++i] - '0');
            }
            out.write(value);
          } else {
            out.write(n);
          }
        }
      }
    }
    return out.toByteArray();
  }

  static void escape(ByteArrayOutputStream out, byte[] value) {
    for (byte b : value) {
      switch (b) {
        case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
        case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
        case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
        case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
        default -> out.write(b);
      }
    }
  }
}
