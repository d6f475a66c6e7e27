package dev.gatehouse.engine.masking.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** The detectors a policy turned on, run together over one text. */
public final class Detectors {

  public static final Detectors NONE = new Detectors(List.of());

  private final List<ContentDetector> detectors;

  private Detectors(List<ContentDetector> detectors) {
    this.detectors = List.copyOf(detectors);
  }

  public static Detectors of(Set<DetectorType> types) {
    List<ContentDetector> list = new ArrayList<>();
    for (DetectorType t : DetectorType.values()) {
      if (types.contains(t)) {
        list.add(create(t));
      }
    }
    return new Detectors(list);
  }

  private static ContentDetector create(DetectorType type) {
    return switch (type) {
      case CARD_NUMBER -> new CardNumberDetector();
      case EMAIL -> new EmailDetector();
      case US_SSN -> new SsnDetector();
      case IBAN -> new IbanDetector();
      case PHONE -> new PhoneDetector();
      case SECRET -> new SecretDetector();
    };
  }

  public boolean isEmpty() {
    return detectors.isEmpty();
  }

  public boolean has(DetectorType type) {
    return detectors.stream().anyMatch(d -> d.type() == type);
  }

  /** True when some detector could match a text of this shape. */
  public boolean candidate(TextShape shape) {
    for (ContentDetector d : detectors) {
      if (d.candidate(shape)) {
        return true;
      }
    }
    return false;
  }

  /** Every hit in {@code text}, ordered by position; overlapping hits are all kept. */
  public List<Hit> scan(String text, TextShape shape) {
    List<Hit> hits = new ArrayList<>(2);
    for (ContentDetector d : detectors) {
      if (d.candidate(shape)) {
        d.find(text, hits);
      }
    }
    hits.sort(Comparator.comparingInt(Hit::start));
    return hits;
  }

  private static final Detectors EVERY = of(java.util.EnumSet.allOf(DetectorType.class));

  /**
   * {@code text} with whatever any detector finds in it redacted: for texts that may carry a value
   * whatever the policy says (error texts, SQL text shown to a reader without clearance).
   */
  public static String redactEvery(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    TextShape shape = TextShape.of(text);
    if (!EVERY.candidate(shape)) {
      return text;
    }
    List<Hit> hits = EVERY.scan(text, shape);
    return hits.isEmpty() ? text : redact(text, hits);
  }

  /** What a detected value becomes: the same for every value, so its length stays unknown. */
  public static final String REDACTED = "****";

  /**
   * {@code text} with every hit (overlapping and touching hits as one) replaced by {@link
   * #REDACTED}. Not one star per character: that gave away the value's length, e.g. the local part
   * of an address whose column mask hides it (red-team round 31).
   */
  public static String redact(String text, List<Hit> hits) {
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    int i = 0;
    while (i < hits.size()) {
      int start = Math.max(hits.get(i).start(), at);
      int end = hits.get(i).end();
      // hits are ordered by start: join every later one that begins before this span ends
      while (++i < hits.size() && hits.get(i).start() <= end) {
        end = Math.max(end, hits.get(i).end());
      }
      if (end <= at) {
        continue;
      }
      out.append(text, at, start).append(REDACTED);
      at = end;
    }
    return out.append(text, at, text.length()).toString();
  }
}
