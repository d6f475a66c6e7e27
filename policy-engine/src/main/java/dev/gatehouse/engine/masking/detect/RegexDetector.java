package dev.gatehouse.engine.masking.detect;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A detector made of a pattern, a shape test that rules most texts out, and a validity check. */
abstract class RegexDetector implements ContentDetector {

  private final DetectorType type;
  private final Pattern pattern;

  RegexDetector(DetectorType type, Pattern pattern) {
    this.type = type;
    this.pattern = pattern;
  }

  @Override
  public final DetectorType type() {
    return type;
  }

  /** True when the match is a real value of this kind (checksum, reserved ranges). */
  abstract boolean valid(Matcher match);

  @Override
  public final void find(String text, List<Hit> hits) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      if (valid(m)) {
        hits.add(new Hit(type, m.start(), m.end()));
      }
    }
  }
}
