package dev.gatehouse.engine.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The statement text as the audit trail keeps it: whole up to {@link RecordBounds#maxSqlChars()}
 * characters, beyond that its first characters, its length and the SHA-256 of all of it (see {@link
 * RecordBounds} for why); the digest still ties the record to the exact text that was sent.
 */
final class SqlText {

  /** The default bound, 64 Ki characters. */
  static final int MAX_CHARS = RecordBounds.DEFAULT_CHARS;

  private SqlText() {}

  /**
   * Puts {@code sql} into {@code body}: field {@code sql}, and when it was cut, {@code
   * sqlTruncated} (true), {@code sqlLength} (characters sent) and {@code sqlSha256} (hex, of the
   * whole text's UTF-8 bytes).
   */
  static void put(Map<String, Object> body, String sql, int maxChars) {
    if (sql == null || sql.length() <= maxChars) {
      body.put("sql", sql);
      return;
    }
    body.put("sql", head(sql, maxChars));
    body.put("sqlTruncated", true);
    body.put("sqlLength", sql.length());
    body.put("sqlSha256", sha256(sql));
  }

  /** The first {@code chars} characters of {@code text} (at most), never half a surrogate pair. */
  static String head(String text, int chars) {
    if (text.length() <= chars) {
      return text;
    }
    int cut = Math.max(0, chars);
    // Half a character is not text PostgreSQL can store.
    if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut);
  }

  /** Hex SHA-256 of the UTF-8 bytes of {@code text}. */
  static String sha256(String text) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(d.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
