package dev.gatehouse.mcp.tools;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.RequestContext;

/**
 * Who calls a tool and through what: the verified principal, where the call came from, the MCP
 * session (or a fixed id for stateless and stdio calls), and where progress goes.
 */
public record CallContext(
    Principal principal, RequestContext request, String sessionId, ProgressSink progress) {

  /** Reports progress of a long call; false when the caller can no longer be reached. */
  @FunctionalInterface
  public interface ProgressSink {

    /** A sink for callers that asked for no progress: nothing to send, nothing to learn. */
    ProgressSink NONE = (progress, message) -> true;

    boolean report(double progress, String message);
  }
}
