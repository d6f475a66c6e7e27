package dev.gatehouse.engine.masking.detect;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials in common formats: AWS access key ids, JSON Web Tokens, and PEM private key blocks
 * (to the end of the text when the END line is missing).
 */
public final class SecretDetector extends RegexDetector {

  private static final Pattern SECRET =
      Pattern.compile(
          "(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}(?![A-Z0-9])"
              + "|eyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{8,}"
              + "|-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\\s\\S]*?"
              + "(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|\\z)");

  public SecretDetector() {
    super(DetectorType.SECRET, SECRET);
  }

  @Override
  public boolean candidate(TextShape shape) {
    return shape.eyJ() || (shape.upper() >= 4 && shape.length() >= 20);
  }

  @Override
  boolean valid(Matcher m) {
    return true;
  }
}
