package dev.gatehouse.slack.config;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** A secret (bot token, signing secret) that never shows in logs, toString or error messages. */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** Wraps {@code value}; refuses blank values so a missing secret is caught at startup. */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    String trimmed = value.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("secret is empty");
    }
    return new Secret(trimmed);
  }

  /** The clear value, for the one place that must use it (HTTP header, HMAC key). */
  public String reveal() {
    return value;
  }

  public byte[] bytes() {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "****";
  }
}
