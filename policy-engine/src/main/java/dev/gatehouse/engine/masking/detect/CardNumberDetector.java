package dev.gatehouse.engine.masking.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Payment card numbers: 13 to 19 digits passing the Luhn check, written together or in groups of 4
 * to 6 digits separated by single spaces or dashes ({@code 4111 1111 1111 1111}). A run of more
 * than 19 digits that contains a Luhn-valid card-length window is reported whole.
 */
public final class CardNumberDetector implements ContentDetector {

  @Override
  public DetectorType type() {
    return DetectorType.CARD_NUMBER;
  }

  @Override
  public boolean candidate(TextShape shape) {
    return shape.digits() >= 13;
  }

  @Override
  public void find(String text, List<Hit> hits) {
    int i = 0;
    int n = text.length();
    while (i < n) {
      if (!isDigit(text.charAt(i))) {
        i++;
        continue;
      }
      // collect groups of digits joined by single separators
      List<int[]> groups = new ArrayList<>();
      int j = i;
      while (true) {
        int start = j;
        while (j < n && isDigit(text.charAt(j))) {
          j++;
        }
        groups.add(new int[] {start, j});
        if (j + 1 < n
            && (text.charAt(j) == ' ' || text.charAt(j) == '-')
            && isDigit(text.charAt(j + 1))) {
          j++;
        } else {
          break;
        }
      }
      check(text, groups, hits);
      i = j;
    }
  }

  private static void check(String text, List<int[]> groups, List<Hit> hits) {
    boolean cardGrouping = groups.size() > 1;
    for (int[] g : groups) {
      int len = g[1] - g[0];
      cardGrouping &= len >= 3 && len <= 6;
    }
    if (cardGrouping) {
      StringBuilder digits = new StringBuilder();
      groups.forEach(g -> digits.append(text, g[0], g[1]));
      if (isCard(digits)) {
        hits.add(new Hit(DetectorType.CARD_NUMBER, groups.getFirst()[0], groups.getLast()[1]));
        return;
      }
    }
    for (int[] g : groups) {
      if (isCard(text.subSequence(g[0], g[1]))) {
        hits.add(new Hit(DetectorType.CARD_NUMBER, g[0], g[1]));
      }
    }
  }

  /** True for a card-length Luhn-valid number, or a longer run holding one. */
  static boolean isCard(CharSequence digits) {
    int n = digits.length();
    if (n < 13) {
      return false;
    }
    if (n <= 19) {
      return luhn(digits, 0, n);
    }
    for (int len = 13; len <= 19; len++) {
      for (int s = 0; s + len <= n; s++) {
        if (luhn(digits, s, s + len)) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean luhn(CharSequence digits, int from, int to) {
    int sum = 0;
    boolean doubled = false;
    for (int i = to - 1; i >= from; i--) {
      int d = digits.charAt(i) - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
