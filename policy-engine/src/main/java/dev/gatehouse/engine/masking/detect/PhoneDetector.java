package dev.gatehouse.engine.masking.detect;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telephone numbers written as such: an international {@code +} prefix or separated digit groups
 * ({@code +1-202-555-0143}, {@code (202) 555-0143}, {@code +44 20 7946 0958}), 10 to 15 digits.
 * Bare digit strings are left alone: without separators a phone number is any other number.
 */
public final class PhoneDetector extends RegexDetector {

  private static final Pattern PHONE =
      Pattern.compile(
          "(?<![\\w+.-])(?:\\+[0-9]{1,3}[ .-]?)?(?:\\([0-9]{1,4}\\)[ .-]?|[0-9]{1,4}[ .-])"
              + "(?:[0-9]{2,4}[ .-]){1,3}[0-9]{2,4}(?![\\w:.-])");

  public PhoneDetector() {
    super(DetectorType.PHONE, PHONE);
  }

  @Override
  public boolean candidate(TextShape shape) {
    return shape.digits() >= 10;
  }

  @Override
  boolean valid(Matcher m) {
    long digits = m.group().chars().filter(Character::isDigit).count();
    return digits >= 10 && digits <= 15;
  }
}
