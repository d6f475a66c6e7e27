package dev.gatehouse.engine.masking.detect;

import java.util.List;

/** Finds one kind of sensitive value in a text. */
public interface ContentDetector {

  DetectorType type();

  /** A cheap test on the text's shape; false means {@link #find} would find nothing. */
  boolean candidate(TextShape shape);

  /** Adds every occurrence in {@code text} to {@code hits}. */
  void find(String text, List<Hit> hits);
}
