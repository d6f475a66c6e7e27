package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import dev.gatehouse.wire.upstream.UpstreamConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The upstream connection as a flow uses it: what runs there now, and the answers owed for what was
 * sent. One of the session's roles ({@link Session} implements them all).
 */
interface UpstreamSide {

  /** The connection statements run on now, or null when no decision named a role yet. */
  UpstreamConnection upstream();

  /** Installs {@code connection} as the one statements run on (its reader is this session). */
  void upstream(UpstreamConnection connection);

  /** Opens a connection to {@code target} as {@code role}, read by this session. */
  CompletableFuture<UpstreamConnection> connect(
      UpstreamTarget target, String role, Map<String, String> parameters);

  /**
   * Makes sure the upstream connection runs as the decision's role, connecting or switching;
   * completes on the event loop.
   */
  CompletableFuture<Void> ensureUpstream(Verdict verdict);

  /** A request went upstream: its answer is owed after everything owed before. */
  void expect(Pending answer);

  /** As {@link #expect}, for several in order. */
  void expectAll(List<Pending> answers);

  /** The answers the client is owed, in order. */
  Owed pending();

  /** Routes upstream frames to the requests they answer. */
  UpstreamRelay relay();

  /** Holds results back until their record is durable (ADR 0004). */
  ResultHold hold();

  /** The name of the gateway's own control statements on this connection. */
  String controlName();
}
