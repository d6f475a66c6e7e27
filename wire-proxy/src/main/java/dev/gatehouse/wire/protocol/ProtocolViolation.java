package dev.gatehouse.wire.protocol;

/** The peer broke the protocol; the connection gets FATAL 08P01 and is closed. */
public final class ProtocolViolation extends RuntimeException {
  public ProtocolViolation(String message) {
    super(message, null, false, false);
  }
}
