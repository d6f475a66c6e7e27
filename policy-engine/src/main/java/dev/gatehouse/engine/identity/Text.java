package dev.gatehouse.engine.identity;

/** Makes token-supplied values safe to put into a message: short, one line, printable. */
final class Text {

  private static final int MAX = 100;

  private Text() {}

  static String quote(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX) + 3);
    for (int i = 0; i < value.length() && i < MAX; i++) {
      char c = value.charAt(i);
      out.append(Character.isISOControl(c) || c == '`' ? '?' : c);
    }
    if (value.length() > MAX) {
      out.append("...");
    }
    return out.toString();
  }
}
