package dev.gatehouse.engine.masking.detect;

/**
 * What one pass over a cell's bytes tells the detectors, so that most cells are ruled out before
 * they are decoded or matched.
 *
 * @param digits ASCII digits
 * @param upper ASCII upper-case letters
 * @param at whether {@code @} occurs
 * @param dash whether {@code -} occurs
 * @param eyJ whether the JWT header prefix {@code eyJ} occurs
 */
public record TextShape(int length, int digits, int upper, boolean at, boolean dash, boolean eyJ) {

  /** The shape of {@code bytes[from, to)}, read as ASCII-compatible text. */
  public static TextShape of(byte[] bytes, int from, int to) {
    int digits = 0;
    int upper = 0;
    boolean at = false;
    boolean dash = false;
    boolean eyJ = false;
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if (b >= '0' && b <= '9') {
        digits++;
      } else if (b >= 'A' && b <= 'Z') {
        upper++;
      } else if (b == '@') {
        at = true;
      } else if (b == '-') {
        dash = true;
      } else if (b == 'e' && i + 2 < to && bytes[i + 1] == 'y' && bytes[i + 2] == 'J') {
        eyJ = true;
      }
    }
    return new TextShape(to - from, digits, upper, at, dash, eyJ);
  }

  public static TextShape of(String text) {
    return of(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, text.length());
  }
}
