package dev.gatehouse.engine.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The statement text as the audit trail keeps it: whole up to {@link #MAX_CHARS} characters, beyond
 * that its first {@code MAX_CHARS} characters, its length and the SHA-256 of all of it. One client
 * could otherwise put a 64 MiB message into one record, which stalls the writer past the durable
 * timeout (refusing everyone's statements) and bloats the control database; the digest still ties
 * the record to the exact text that was sent.
 */
final class SqlText {

  /** 64 Ki characters: far above any hand-written statement, a few ORM-made IN lists included. */
  static final int MAX_CHARS = 64 * 1024;

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
    int cut = maxChars;
    // Never split a surrogate pair: half a character is not text PostgreSQL can store.
    if (Character.isHighSurrogate(sql.charAt(cut - 1))) {
      cut--;
    }
    body.put("sql", sql.substring(0, cut));
    body.put("sqlTruncated", true);
    body.put("sqlLength", sql.length());
    body.put("sqlSha256", sha256(sql));
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
