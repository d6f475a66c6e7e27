package dev.gatehouse.engine.masking;

/** The string strategies, counted in characters (code points), never in bytes. */
final class StringMasks {

  private StringMasks() {}

  /**
   * All but the last {@code n} characters replaced by {@code *}. Never more than half of a value
   * stays visible, so a short value is not given away whole.
   */
  static String keepLast(String value, int n) {
    int length = value.codePointCount(0, value.length());
    int keep = Math.max(0, Math.min(n, length / 2));
    int cut = value.offsetByCodePoints(0, length - keep);
    return "*".repeat(length - keep) + value.substring(cut);
  }

  /**
   * First character and domain of an e-mail address: {@code a****@example.com}. A value that is no
   * address is fully redacted.
   */
  static String email(String value) {
    int at = value.lastIndexOf('@');
    if (at <= 0 || at == value.length() - 1) {
      return Placeholders.REDACTED;
    }
    int firstEnd = value.offsetByCodePoints(0, 1);
    if (firstEnd > at) {
      return Placeholders.REDACTED;
    }
    return value.substring(0, firstEnd) + "****" + value.substring(at);
  }
}
