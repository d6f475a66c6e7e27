package dev.gatehouse.engine.masking.detect;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** US social security numbers {@code AAA-GG-SSSS}, without the ranges the SSA never issues. */
public final class SsnDetector extends RegexDetector {

  private static final Pattern SSN =
      Pattern.compile("(?<![0-9-])([0-9]{3})([- ])([0-9]{2})\\2([0-9]{4})(?![0-9]|-[0-9])");

  public SsnDetector() {
    super(DetectorType.US_SSN, SSN);
  }

  @Override
  public boolean candidate(TextShape shape) {
    return shape.digits() >= 9 && shape.length() >= 11;
  }

  @Override
  boolean valid(Matcher m) {
    String area = m.group(1);
    return !area.equals("000")
        && !area.equals("666")
        && area.charAt(0) != '9'
        && !m.group(3).equals("00")
        && !m.group(4).equals("0000");
  }
}
