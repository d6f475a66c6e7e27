package dev.gatehouse.engine.admission;

import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.Verdict;

/**
 * What a channel cannot carry, whatever the policy allows: a decision in its own right, so it is
 * recorded like any denial.
 */
public final class ChannelLimits {

  /** Rule id of the MCP front end's refusal of COPY. */
  public static final String NO_COPY_OVER_MCP = "mcp-copy-unsupported";

  private ChannelLimits() {}

  /**
   * {@code verdict}, or a denial when the channel cannot carry it. COPY streams rows without the
   * column descriptors masking needs, and a tool result is no file or stream.
   */
  static Verdict apply(Channel channel, Verdict verdict) {
    if (channel != Channel.MCP || verdict.decision().effect() == Effect.DENY) {
      return verdict;
    }
    boolean copy =
        verdict.analysis().statements().stream().anyMatch(s -> s.commandTag().startsWith("COPY"));
    if (!copy) {
      return verdict;
    }
    return new Verdict(
        verdict.analysis(),
        new Decision(
            Effect.DENY,
            java.util.List.of(NO_COPY_OVER_MCP),
            "COPY is not available through MCP; run the SELECT it copies with `query` instead",
            Obligations.NONE,
            verdict.decision().policyRevision()));
  }
}
