package dev.gatehouse.engine.masking;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Binary COPY data: the 19-byte header (signature, flags, extension area) once, then tuples of
 * {@code int16} field count and {@code int32}-length-prefixed fields, then the {@code -1} trailer.
 * See https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
 */
final class BinaryCopyRows {

  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
  };

  private final MaskPlan plan;
  private final int width;
  private boolean headerSeen;
  private boolean ended;

  BinaryCopyRows(MaskPlan plan, int width) {
    this.plan = plan;
    this.width = width;
  }

  byte[] mask(byte[] data) {
    ByteBuffer in = ByteBuffer.wrap(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 16);
    boolean changed = false;
    try {
      if (!headerSeen) {
        if (data.length < SIGNATURE.length + 8
            || !Arrays.equals(data, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
          throw new CopyMaskingException("binary copy data does not start with the copy signature");
        }
        in.position(SIGNATURE.length);
        in.getInt();
        int extension = in.getInt();
        in.position(in.position() + extension);
        out.write(data, 0, in.position());
        headerSeen = true;
      }
      while (in.hasRemaining()) {
        if (ended) {
          throw new CopyMaskingException("binary copy data continues after its trailer");
        }
        short fields = in.getShort();
        out.write(fields >> 8);
        out.write(fields);
        if (fields == -1) {
          ended = true;
          continue;
        }
        if (fields != width) {
          throw new CopyMaskingException(
              "copy row has " + fields + " columns where " + width + " were planned");
        }
        for (int i = 0; i < width; i++) {
          int length = in.getInt();
          byte[] value = null;
          if (length >= 0) {
            value = new byte[length];
            in.get(value);
          }
          byte[] masked = plan.inspects(i) ? plan.apply(i, value) : value;
          changed |= masked != value;
          writeField(out, masked);
        }
      }
    } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
      throw new CopyMaskingException("binary copy data ends inside a row");
    }
    return changed ? out.toByteArray() : data;
  }

  private static void writeField(ByteArrayOutputStream out, byte[] value) {
    int length = value == null ? -1 : value.length;
    out.writeBytes(ByteBuffer.allocate(4).putInt(length).array());
    if (value != null) {
      out.writeBytes(value);
    }
  }
}
