package dev.gatehouse.mcp.tools;

/** Arguments a tool cannot use: answered as an {@code isError} result saying what to fix. */
public final class InvalidArgumentsException extends RuntimeException {
  public InvalidArgumentsException(String message) {
    super(message);
  }
}
