package dev.gatehouse.engine.masking;

import java.util.UUID;

/** A rule's strategy applied to one cell, giving a value valid for the column's type and format. */
final class RuleMasks {

  private RuleMasks() {}

  static byte[] apply(ColumnPlan plan, byte[] value, Pseudonymizer pseudonyms) {
    ColumnType type = plan.type();
    MaskStrategy strategy = plan.strategy();
    if (strategy == MaskStrategy.NULL) {
      return null;
    }
    return switch (type.kind()) {
      case TEXT -> text(plan, ValueCodec.utf8(value), value, pseudonyms);
      case BYTEA ->
          strategy == MaskStrategy.PSEUDONYM
              ? bytea(type, pseudonyms.token(raw(type, value)))
              : plan.placeholder();
      case INTEGER -> strategy == MaskStrategy.PSEUDONYM ? integer(type, value, pseudonyms) : null;
      case UUID -> strategy == MaskStrategy.PSEUDONYM ? uuid(type, value, pseudonyms) : null;
      default -> plan.placeholder();
    };
  }

  private static byte[] text(
      ColumnPlan plan, String value, byte[] bytes, Pseudonymizer pseudonyms) {
    String masked =
        switch (plan.strategy()) {
          case KEEP_LAST -> StringMasks.keepLast(value, plan.keepLast());
          case EMAIL -> StringMasks.email(value);
          case PSEUDONYM -> pseudonyms.token(bytes);
          case REDACT, NULL -> Placeholders.REDACTED;
        };
    return ValueCodec.utf8(plan.type().fit(masked));
  }

  private static byte[] raw(ColumnType type, byte[] value) {
    try {
      return type.binary() ? value : ValueCodec.byteaFromText(value);
    } catch (RuntimeException malformed) {
      return value; // still a stable pseudonym input, just of the text form
    }
  }

  private static byte[] bytea(ColumnType type, String token) {
    byte[] raw = ValueCodec.utf8(token);
    return type.binary() ? raw : ValueCodec.byteaToText(raw);
  }

  /** A pseudonym that is itself a valid integer of the column's width. */
  private static byte[] integer(ColumnType type, byte[] value, Pseudonymizer pseudonyms) {
    String canonical = ValueCodec.integerText(value, type.format());
    if (canonical == null) {
      return null;
    }
    int size =
        switch (type.typeOid()) {
          case ValueKind.INT2 -> 2;
          case ValueKind.INT4, ValueKind.OID -> 4;
          default -> 8;
        };
    long bound = size == 2 ? Short.MAX_VALUE : size == 4 ? Integer.MAX_VALUE : Long.MAX_VALUE;
    long v = pseudonyms.number(ValueCodec.utf8(canonical.strip()), bound);
    return ValueCodec.integer(v, size, type.format());
  }

  /** A pseudonym that is itself a uuid (version 8, "custom"). */
  private static byte[] uuid(ColumnType type, byte[] value, Pseudonymizer pseudonyms) {
    String canonical = ValueCodec.uuidText(value, type.format());
    if (canonical == null) {
      return null;
    }
    byte[] d = pseudonyms.digest(ValueCodec.utf8(canonical));
    d[6] = (byte) ((d[6] & 0x0f) | 0x80);
    d[8] = (byte) ((d[8] & 0x3f) | 0x80);
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (d[i] & 0xff);
      lo = (lo << 8) | (d[8 + i] & 0xff);
    }
    if (type.binary()) {
      return java.nio.ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
    }
    return ValueCodec.utf8(new UUID(hi, lo).toString());
  }
}
