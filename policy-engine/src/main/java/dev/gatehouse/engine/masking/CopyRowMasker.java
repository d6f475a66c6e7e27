package dev.gatehouse.engine.masking;

import java.io.ByteArrayOutputStream;

/**
 * Masks the CopyData messages of a COPY ... TO STDOUT, one message at a time, in text, CSV or
 * binary format. The plan must have been made for the copied columns with {@link
 * CopyFormat#columnFormat()} as their format (the front end describes the COPY's query to get
 * them). Data that does not parse as the announced format, or has another number of columns, is
 * refused with {@link CopyMaskingException}: the caller must then abort the COPY rather than relay
 * a row it could not inspect.
 */
public final class CopyRowMasker {

  private final MaskPlan plan;
  private final int width;
  private final CopyFormat format;
  private final BinaryCopyRows binary;
  private boolean headerPending;

  public CopyRowMasker(MaskPlan plan, int width, CopyFormat format) {
    this.plan = plan;
    this.width = width;
    this.format = format;
    this.binary = format.kind() == CopyFormat.Kind.BINARY ? new BinaryCopyRows(plan, width) : null;
    this.headerPending = format.header();
  }

  /** The payload to send for one CopyData payload: the same array when nothing changed. */
  public byte[] mask(byte[] data) {
    if (plan.passesThrough()) {
      return data;
    }
    if (binary != null) {
      return binary.mask(data);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 16);
    boolean changed = false;
    int start = 0;
    while (start < data.length) {
      int end = lineEnd(data, start);
      if (headerPending) {
        headerPending = false;
        out.write(data, start, end - start);
      } else {
        changed |= maskLine(data, start, end, out);
      }
      start = end;
    }
    return changed ? out.toByteArray() : data;
  }

  /** The end of the row starting at {@code start}, after its newline. */
  private int lineEnd(byte[] data, int start) {
    boolean quoted = false;
    for (int i = start; i < data.length; i++) {
      byte b = data[i];
      if (format.kind() == CopyFormat.Kind.TEXT && b == '\\') {
        i++;
      } else if (format.kind() == CopyFormat.Kind.CSV && b == format.quote()) {
        quoted = !quoted;
      } else if (b == '\n' && !quoted) {
        return i + 1;
      }
    }
    if (quoted) {
      throw new CopyMaskingException("copy data ends inside a quoted field");
    }
    return data.length;
  }

  private boolean maskLine(byte[] data, int start, int end, ByteArrayOutputStream out) {
    int contentEnd = end;
    if (contentEnd > start && data[contentEnd - 1] == '\n') {
      contentEnd--;
    }
    if (contentEnd > start && data[contentEnd - 1] == '\r') {
      contentEnd--;
    }
    CopyTextFields fields =
        format.kind() == CopyFormat.Kind.TEXT
            ? CopyTextFields.text(data, start, contentEnd, format)
            : CopyTextFields.csv(data, start, contentEnd, format);
    if (fields.size() != width) {
      throw new CopyMaskingException(
          "copy row has " + fields.size() + " columns where " + width + " were planned");
    }
    boolean changed = false;
    for (int i = 0; i < width; i++) {
      if (i > 0) {
        out.write(format.delimiter());
      }
      byte[] value = fields.value(i);
      byte[] masked = plan.inspects(i) ? plan.apply(i, value) : value;
      if (masked == value) {
        fields.writeOriginal(i, out);
      } else {
        changed = true;
        fields.writeEncoded(masked, out);
      }
    }
    out.write(data, contentEnd, end - contentEnd);
    return changed;
  }
}
