package dev.gatehouse.wire.flow;

import java.util.Locale;
import java.util.Set;

/**
 * The client encodings the gateway accepts at startup. The analyser reads statement bytes as UTF-8;
 * an encoding whose multibyte characters may contain ASCII bytes (SJIS, BIG5, GBK, GB18030, UHC,
 * JOHAB, SHIFT_JIS_2004: a trail byte 0x5C is a backslash to the gateway and part of a character to
 * PostgreSQL) would let the two see different statements, so only UTF8 is served, and SQL_ASCII,
 * which libpq sends for "auto" under the C locale and whose bytes are the same. Every other name
 * fails closed.
 */
final class ClientEncoding {

  /** What the upstream connection is always told. */
  static final String UPSTREAM = "UTF8";

  /** PostgreSQL's spellings, compared as PostgreSQL does: case and non-alphanumerics ignored. */
  private static final Set<String> ACCEPTED = Set.of("utf8", "unicode", "sqlascii");

  private ClientEncoding() {}

  static boolean accepted(String name) {
    return ACCEPTED.contains(normalise(name));
  }

  static String refusal(String name) {
    String shown = name.length() > 40 ? name.substring(0, 40) + "…" : name;
    return "client_encoding `"
        + shown.replace("`", "")
        + "` is not supported: the gateway reads statements as UTF8; connect with"
        + " client_encoding UTF8 (PGCLIENTENCODING=UTF8)";
  }

  private static String normalise(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      if (Character.isLetterOrDigit(c)) {
        b.append(c);
      }
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }
}
