package dev.gatehouse.wire.protocol.frontend;

import dev.gatehouse.wire.protocol.ProtocolViolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a message whose fields run past its end (or hold impossible values) into a protocol
 * violation: the client gets FATAL 08P01 and the log one WARN line, never a stack trace.
 */
final class Malformed {

  private static final Logger log = LoggerFactory.getLogger(Malformed.class);

  private Malformed() {}

  /** What to throw for {@code failure} while decoding a {@code type} message; logs one line. */
  static RuntimeException violation(String type, RuntimeException failure) {
    switch (failure) {
      case ProtocolViolation e -> {
        log.warn("refused a malformed `{}` message: {}", type, e.getMessage());
        return e;
      }
      case IndexOutOfBoundsException e -> {
        log.warn("refused a malformed `{}` message: its fields run past its end", type);
        return new ProtocolViolation("malformed `" + type + "` message");
      }
      case IllegalArgumentException e -> {
        log.warn("refused a malformed `{}` message: a field holds an impossible value", type);
        return new ProtocolViolation("malformed `" + type + "` message");
      }
      default -> {
        return failure;
      }
    }
  }

  static String printable(byte type) {
    return type >= 32 && type < 127
        ? String.valueOf((char) type)
        : "0x" + Integer.toHexString(type & 0xff);
  }
}
