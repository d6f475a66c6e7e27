package dev.gatehouse.slack.message;

import java.util.Optional;
import java.util.UUID;

/**
 * The ids Gatehouse puts on Slack buttons and modals. An action id carries the request id, so a
 * click names exactly one request and nothing else in the payload is trusted to say which.
 */
public final class ActionIds {

  public static final String APPROVE_PREFIX = "gatehouse.approve:";
  public static final String DENY_PREFIX = "gatehouse.deny:";
  public static final String DENY_MODAL = "gatehouse.deny-modal";
  public static final String REASON_BLOCK = "reason";
  public static final String REASON_INPUT = "reason_input";

  private ActionIds() {}

  public static String approve(UUID id) {
    return APPROVE_PREFIX + id;
  }

  public static String deny(UUID id) {
    return DENY_PREFIX + id;
  }

  /** The request id after {@code prefix}, or empty when the id is not one of ours. */
  public static Optional<UUID> requestId(String actionId, String prefix) {
    if (actionId == null || !actionId.startsWith(prefix)) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(actionId.substring(prefix.length())));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
