package dev.gatehouse.engine.masking.detect;

import java.util.List;

/** E-mail addresses: {@code local@domain.tld}, found by growing outwards from each {@code @}. */
public final class EmailDetector implements ContentDetector {

  @Override
  public DetectorType type() {
    return DetectorType.EMAIL;
  }

  @Override
  public boolean candidate(TextShape shape) {
    return shape.at() && shape.length() >= 5;
  }

  @Override
  public void find(String text, List<Hit> hits) {
    int from = 0;
    int at;
    while ((at = text.indexOf('@', from)) >= 0) {
      int start = at;
      while (start > 0 && isLocal(text.charAt(start - 1))) {
        start--;
      }
      int end = at + 1;
      int lastDot = -1;
      while (end < text.length() && isDomain(text.charAt(end))) {
        if (text.charAt(end) == '.') {
          lastDot = end;
        }
        end++;
      }
      // a domain does not end with a dot or hyphen (sentence punctuation)
      while (end > at + 1 && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == '-')) {
        end--;
      }
      if (lastDot >= end) {
        lastDot = text.lastIndexOf('.', end - 1);
      }
      boolean valid = start < at && lastDot > at + 1 && end - lastDot - 1 >= 2;
      if (valid) {
        hits.add(new Hit(DetectorType.EMAIL, start, end));
      }
      from = Math.max(at + 1, valid ? end : at + 1);
    }
  }

  private static boolean isLocal(char c) {
    return c < 128 && (Character.isLetterOrDigit(c) || ".!#$%&'*+/=?^_`{|}~-".indexOf(c) >= 0);
  }

  private static boolean isDomain(char c) {
    return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-');
  }
}
