package dev.gatehouse.engine.masking.detect;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** International bank account numbers, verified by their ISO 13616 mod-97 check digits. */
public final class IbanDetector extends RegexDetector {

  private static final Pattern IBAN =
      Pattern.compile("(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])");

  public IbanDetector() {
    super(DetectorType.IBAN, IBAN);
  }

  @Override
  public boolean candidate(TextShape shape) {
    return shape.upper() >= 2 && shape.digits() >= 4 && shape.length() >= 15;
  }

  @Override
  boolean valid(Matcher m) {
    String iban = m.group().replace(" ", "");
    if (iban.length() < 15 || iban.length() > 34) {
      return false;
    }
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    int remainder = 0;
    for (int i = 0; i < rearranged.length(); i++) {
      char c = rearranged.charAt(i);
      int v = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
      remainder = v > 9 ? (remainder * 100 + v) % 97 : (remainder * 10 + v) % 97;
    }
    return remainder == 1;
  }
}
