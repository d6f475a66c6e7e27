package dev.gatehouse.engine.masking.detect;

/** A sensitive value found in a text: {@code [start, end)} in UTF-16 units. */
public record Hit(DetectorType type, int start, int end) {}
