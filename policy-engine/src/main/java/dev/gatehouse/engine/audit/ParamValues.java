package dev.gatehouse.engine.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A statement's bind parameters as the audit trail keeps them: field {@code params} of a statement
 * record, {@code mode}, {@code count} and {@code values}, bounded by {@link
 * RecordBounds#maxParamChars()} for all values together, as the statement text is by its own bound.
 * Values are kept in order while they fit. With {@code clear} a value that does not fit in what is
 * left is kept as its first characters (possibly none) and listed in {@code cut} with its position,
 * length and SHA-256; after {@link #MAX_CUTS} such values the rest are counted in {@code omitted},
 * not kept. With {@code hmac} a hash is kept whole or not at all (64 characters each); those that
 * do not fit are counted in {@code omitted}. Either way {@code truncated} is true and {@code
 * values} holds fewer entries than {@code count} when some were left out.
 */
final class ParamValues {

  /** Each cut entry costs ~100 characters: 64 of them stay small beside the kept values. */
  static final int MAX_CUTS = 64;

  private ParamValues() {}

  static Map<String, Object> of(List<String> params, ParamMode mode, AuditKey key, int budget) {
    List<String> values = params == null ? List.of() : params;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", mode.name());
    m.put("count", values.size());
    switch (mode) {
      case CLEAR -> clear(m, values, budget);
      case HMAC -> hashed(m, values, key, budget);
      case OMIT -> {}
    }
    return m;
  }

  private static void clear(Map<String, Object> m, List<String> values, int budget) {
    List<String> kept = new ArrayList<>();
    List<Map<String, Object>> cuts = new ArrayList<>();
    int left = budget;
    for (int i = 0; i < values.size() && cuts.size() < MAX_CUTS; i++) {
      String v = values.get(i);
      if (v == null || v.length() <= left) {
        // SQL NULL is kept as null: it is not text, and it keeps positions readable.
        kept.add(v);
        left -= v == null ? 0 : v.length();
        continue;
      }
      String head = SqlText.head(v, left);
      kept.add(head);
      left -= head.length();
      Map<String, Object> cut = new LinkedHashMap<>();
      cut.put("index", i);
      cut.put("length", v.length());
      cut.put("sha256", SqlText.sha256(v));
      cuts.add(cut);
    }
    m.put("values", kept);
    if (!cuts.isEmpty()) {
      m.put("truncated", true);
      m.put("cut", cuts);
      m.put("omitted", values.size() - kept.size());
    }
  }

  private static void hashed(Map<String, Object> m, List<String> values, AuditKey key, int budget) {
    List<String> kept = new ArrayList<>();
    int left = budget;
    for (String v : values) {
      // A null parameter stays null: SQL NULL is not a secret, and it keeps positions readable.
      if (v != null && left < 64) {
        break;
      }
      kept.add(v == null ? null : key.hmacHex(v));
      left -= v == null ? 0 : 64;
    }
    m.put("values", kept);
    if (kept.size() < values.size()) {
      m.put("truncated", true);
      m.put("omitted", values.size() - kept.size());
    }
  }
}
