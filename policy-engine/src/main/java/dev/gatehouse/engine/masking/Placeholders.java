package dev.gatehouse.engine.masking;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The fixed redaction of each kind of value, valid for its type in text and binary format. Kinds
 * that cannot hold a redaction string get SQL NULL (null).
 */
final class Placeholders {

  /** What a redacted string reads: it never reveals the value's length. */
  static final String REDACTED = "****";

  private Placeholders() {}

  static byte[] of(ValueKind kind, int typeOid, int format) {
    boolean binary = format == 1;
    return switch (kind) {
      case TEXT, XML -> ascii(REDACTED);
      case BYTEA -> binary ? ascii(REDACTED) : ascii("\\x2a2a2a2a");
      case JSON -> ascii("\"" + REDACTED + "\"");
      case JSONB -> binary ? jsonbBinary() : ascii("\"" + REDACTED + "\"");
      case STRING_ARRAY -> binary ? arrayBinary(ValueKind.elementOf(typeOid)) : ascii("{****}");
      case RECORD -> binary ? recordBinary() : ascii("(****)");
      case OTHER_ARRAY, COMPOSITE, INTEGER, NUMERIC, UUID, OTHER -> null;
    };
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** jsonb binary: a version byte (1) and the JSON text. */
  private static byte[] jsonbBinary() {
    byte[] text = ascii("\"" + REDACTED + "\"");
    byte[] out = new byte[text.length + 1];
    out[0] = 1;
    System.arraycopy(text, 0, out, 1, text.length);
    return out;
  }

  /** array_send of a one-element, one-dimensional array: ndim, hasnull, elemtype, dim, lbound. */
  private static byte[] arrayBinary(int elementOid) {
    byte[] element = ascii(REDACTED);
    return ByteBuffer.allocate(20 + 4 + element.length)
        .putInt(1)
        .putInt(0)
        .putInt(elementOid)
        .putInt(1)
        .putInt(1)
        .putInt(element.length)
        .put(element)
        .array();
  }

  /** record_send of a one-field record: field count, then the field's type, length and bytes. */
  private static byte[] recordBinary() {
    byte[] field = ascii(REDACTED);
    return ByteBuffer.allocate(4 + 8 + field.length)
        .putInt(1)
        .putInt(ValueKind.TEXT_OID)
        .putInt(field.length)
        .put(field)
        .array();
  }
}
