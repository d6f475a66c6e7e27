package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.masking.catalog.TypeInfo;
import java.util.function.IntFunction;

/** How masking treats a data type: what a masked value of it can look like. */
enum ValueKind {
  /** text, varchar, bpchar, name, unknown, and string-category types such as citext. */
  TEXT,
  BYTEA,
  JSON,
  JSONB,
  XML,
  /** A one-dimensional array of a string type: {@code {****}} is valid. */
  STRING_ARRAY,
  /** Any other array: only NULL is valid for every element type. */
  OTHER_ARRAY,
  /** The anonymous {@code record} type: {@code (****)} is valid. */
  RECORD,
  /** A named row type (a whole-row reference to a table): NULL. */
  COMPOSITE,
  /** int2, int4, int8, oid. */
  INTEGER,
  NUMERIC,
  UUID,
  /** Everything else (dates, booleans, floats, enums, geometry, ...): NULL. */
  OTHER;

  static final int BOOL = 16;
  static final int BYTEA_OID = 17;
  static final int NAME = 19;
  static final int INT8 = 20;
  static final int INT2 = 21;
  static final int INT4 = 23;
  static final int TEXT_OID = 25;
  static final int OID = 26;
  static final int JSON_OID = 114;
  static final int XML_OID = 142;
  static final int UNKNOWN = 705;
  static final int BPCHAR = 1042;
  static final int VARCHAR = 1043;
  static final int NUMERIC_OID = 1700;
  static final int RECORD_OID = 2249;
  static final int UUID_OID = 2950;
  static final int JSONB_OID = 3802;

  /** The kind of {@code typeOid}; {@code lookup} answers for types that are not built in. */
  static ValueKind of(int typeOid, IntFunction<TypeInfo> lookup) {
    return of(typeOid, lookup, 0);
  }

  private static ValueKind of(int typeOid, IntFunction<TypeInfo> lookup, int depth) {
    switch (typeOid) {
      case TEXT_OID, VARCHAR, BPCHAR, NAME, UNKNOWN:
        return TEXT;
      case BYTEA_OID:
        return BYTEA;
      case JSON_OID:
        return JSON;
      case JSONB_OID:
        return JSONB;
      case XML_OID:
        return XML;
      case 1009, 1015, 1014, 1003:
        return STRING_ARRAY;
      case RECORD_OID:
        return RECORD;
      case INT2, INT4, INT8, OID:
        return INTEGER;
      case NUMERIC_OID:
        return NUMERIC;
      case UUID_OID:
        return UUID;
      case BOOL, 18, 700, 701, 1082, 1083, 1114, 1184, 1186, 1266, 790:
        return OTHER;
      default:
        break;
    }
    TypeInfo info = depth > 8 ? null : lookup.apply(typeOid);
    if (info == null) {
      return OTHER;
    }
    if (info.type() == 'd') {
      return of(info.baseTypeOid(), lookup, depth + 1);
    }
    if (info.type() == 'c') {
      return COMPOSITE;
    }
    if (info.category() == 'A') {
      return OTHER_ARRAY;
    }
    return info.category() == 'S' && info.type() == 'b' ? TEXT : OTHER;
  }

  /** The element type OID of a {@link #STRING_ARRAY} type. */
  static int elementOf(int arrayOid) {
    return switch (arrayOid) {
      case 1009 -> TEXT_OID;
      case 1015 -> VARCHAR;
      case 1014 -> BPCHAR;
      case 1003 -> NAME;
      default -> TEXT_OID;
    };
  }

  /** Kinds whose text holds structure: a detector hit replaces the whole value. */
  boolean structured() {
    return this == JSON
        || this == JSONB
        || this == XML
        || this == STRING_ARRAY
        || this == OTHER_ARRAY
        || this == RECORD
        || this == COMPOSITE;
  }
}
