package dev.gatehouse.engine.masking;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The fields of one row of text or CSV COPY data: their original bytes and decoded values. */
final class CopyTextFields {

  private final byte[] data;
  private final CopyFormat format;
  private final List<int[]> spans = new ArrayList<>();
  private final List<byte[]> values = new ArrayList<>();

  private CopyTextFields(byte[] data, CopyFormat format) {
    this.data = data;
    this.format = format;
  }

  int size() {
    return spans.size();
  }

  byte[] value(int i) {
    return values.get(i);
  }

  void writeOriginal(int i, ByteArrayOutputStream out) {
    int[] s = spans.get(i);
    out.write(data, s[0], s[1] - s[0]);
  }

  /** Text format: backslash escapes; {@code \N} (or the NULL string) is NULL. */
  static CopyTextFields text(byte[] data, int start, int end, CopyFormat format) {
    CopyTextFields f = new CopyTextFields(data, format);
    byte[] nullBytes = format.nullString().getBytes(StandardCharsets.UTF_8);
    int fieldStart = start;
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    for (int i = start; i <= end; i++) {
      if (i == end || data[i] == format.delimiter()) {
        f.spans.add(new int[] {fieldStart, i});
        boolean isNull =
            java.util.Arrays.equals(data, fieldStart, i, nullBytes, 0, nullBytes.length);
        f.values.add(isNull ? null : value.toByteArray());
        value.reset();
        fieldStart = i + 1;
        continue;
      }
      if (data[i] != '\\') {
        value.write(data[i]);
        continue;
      }
      if (++i >= end) {
        throw new CopyMaskingException("copy row ends with a lone backslash");
      }
      byte c = data[i];
      switch (c) {
        case 'b' -> value.write('\b');
        case 'f' -> value.write('\f');
        case 'n' -> value.write('\n');
        case 'r' -> value.write('\r');
        case 't' -> value.write('\t');
        case 'v' -> value.write(11);
        case 'x' -> {
          int v = 0;
          int n = 0;
          while (n < 2 && i + 1 < end && Character.digit(data[i + 1], 16) >= 0) {
            v = v * 16 + Character.digit(data[++i], 16);
            n++;
          }
          value.write(n == 0 ? 'x' : v);
        }
        default -> {
          if (c >= '0' && c <= '7') {
            int v = c - '0';
            for (int n = 1; n < 3 && i + 1 < end && data[i + 1] >= '0' && data[i + 1] <= '7'; n++) {
              v = v * 8 + (data[++i] - '0');
            }
            value.write(v);
          } else {
            value.write(c);
          }
        }
      }
    }
    return f;
  }

  /** CSV: quoted fields with doubled quotes; an unquoted field equal to the NULL string is NULL. */
  static CopyTextFields csv(byte[] data, int start, int end, CopyFormat format) {
    CopyTextFields f = new CopyTextFields(data, format);
    byte[] nullBytes = format.nullString().getBytes(StandardCharsets.UTF_8);
    int i = start;
    while (true) {
      int fieldStart = i;
      ByteArrayOutputStream value = new ByteArrayOutputStream();
      boolean quoted = false;
      while (i < end && data[i] != format.delimiter()) {
        if (data[i] == format.quote()) {
          quoted = true;
          i++;
          while (true) {
            if (i >= end) {
              throw new CopyMaskingException("copy row ends inside a quoted field");
            }
            if (data[i] == format.escape() && i + 1 < end && data[i + 1] == format.quote()) {
              value.write(format.quote());
              i += 2;
            } else if (data[i] == format.quote()) {
              i++;
              break;
            } else {
              value.write(data[i++]);
            }
          }
        } else {
          value.write(data[i++]);
        }
      }
      boolean isNull =
          !quoted && java.util.Arrays.equals(data, fieldStart, i, nullBytes, 0, nullBytes.length);
      f.spans.add(new int[] {fieldStart, i});
      f.values.add(isNull ? null : value.toByteArray());
      if (i >= end) {
        return f;
      }
      i++;
    }
  }

  /** Writes a masked value in this format. */
  void writeEncoded(byte[] value, ByteArrayOutputStream out) {
    if (value == null) {
      out.writeBytes(format.nullString().getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (format.kind() == CopyFormat.Kind.CSV) {
      out.write(format.quote());
      for (byte b : value) {
        if (b == format.quote() || b == format.escape()) {
          out.write(format.escape());
        }
        out.write(b);
      }
      out.write(format.quote());
      return;
    }
    for (byte b : value) {
      switch (b) {
        case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
        case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
        case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
        case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
        case '\b' -> out.writeBytes(new byte[] {'\\', 'b'});
        case '\f' -> out.writeBytes(new byte[] {'\\', 'f'});
        case 11 -> out.writeBytes(new byte[] {'\\', 'v'});
        default -> {
          if (b == format.delimiter()) {
            out.write('\\');
          }
          out.write(b);
        }
      }
    }
  }
}
