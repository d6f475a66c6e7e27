package dev.gatehouse.mcp.tools;

/** A malformed tool call: answered as a JSON-RPC invalid-params error, not a tool result. */
public final class InvalidArgumentsException extends RuntimeException {
  public InvalidArgumentsException(String message) {
    super(message);
  }
}
