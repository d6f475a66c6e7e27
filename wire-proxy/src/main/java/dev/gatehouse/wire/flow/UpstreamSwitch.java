package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import dev.gatehouse.wire.protocol.frontend.Sync;
import dev.gatehouse.wire.upstream.UpstreamConnection;
import dev.gatehouse.wire.upstream.UpstreamStartupFlow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Connects upstream as the role a decision names: the first connection of a session that started
 * without one, or a switch (approved DDL as the owner role) when the session is idle, replaying the
 * client's named prepared statements on the new connection. See ADR 0006.
 */
final class UpstreamSwitch {

  /** The statement cannot run as the role its decision names, here and now (42501). */
  static final class RoleRefused extends RuntimeException {
    RoleRefused(String message) {
      super(message, null, false, false);
    }
  }

  private final FlowContext s;

  UpstreamSwitch(FlowContext session) {
    this.s = session;
  }

  /**
   * Makes sure the upstream connection runs as {@code role}, connecting or switching when the
   * decision names another role; completes on the event loop.
   */
  CompletableFuture<Void> ensure(Verdict verdict) {
    String role = verdict.decision().obligations().upstreamRole();
    if (role == null) {
      return CompletableFuture.failedFuture(new RoleRefused("the decision names no upstream role"));
    }
    if (s.upstream() != null && s.upstream().isActive() && role.equals(s.upstream().role())) {
      return CompletableFuture.completedFuture(null);
    }
    if (s.upstream() != null
        && (!s.transaction().idle() || !s.pending().isEmpty() || s.cycle().inCycle())) {
      return CompletableFuture.failedFuture(
          new RoleRefused(
              "the statement must run as upstream role `"
                  + role
                  + "`, which cannot happen inside a transaction or pipeline opened as `"
                  + s.upstream().role()
                  + "`; run it on its own, outside a transaction"));
    }
    UpstreamTarget target;
    try {
      target = s.gate().upstream(s.info().database(), role);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new UpstreamStartupFlow.Failed("no upstream role `" + role + "`: " + e.getMessage()));
    }
    Map<String, String> parameters = new LinkedHashMap<>(s.info().runtimeParameters());
    parameters.putAll(UpstreamOptions.of(verdict.decision().obligations()));
    // The new connection resolves names as the gateway analyses them: the session's search_path.
    SearchPath.onConnect(parameters, s.settings().searchPath());
    CompletableFuture<Void> switched = new CompletableFuture<>();
    s.whenDone(
        s.connect(target, role, parameters),
        (connection, error) -> {
          if (error != null) {
            switched.completeExceptionally(error);
            return;
          }
          if (s.closed()) {
            connection.close(); // the client left while we connected
            switched.completeExceptionally(new IllegalStateException("the client disconnected"));
            return;
          }
          UpstreamConnection old = s.upstream();
          s.upstream(connection);
          if (old != null) {
            old.close();
            replayStatements();
          }
          connection.read();
          switched.complete(null);
        });
    return switched;
  }

  /**
   * Prepares the client's named statements again on a new upstream connection. One prepared under
   * another search_path than the session's now would resolve its names differently there: it is
   * forgotten instead, and a Bind of it is refused as unknown (26000).
   */
  private void replayStatements() {
    boolean any = false;
    List<String> path = s.settings().searchPath();
    for (PreparedStatement statement : List.copyOf(s.prepared().named())) {
      if (!statement.searchPath.equals(path)) {
        s.prepared().close('S', statement.parse.name());
        continue;
      }
      s.upstream().write(statement.parse);
      s.expect(new Pending.Swallow('1'));
      any = true;
    }
    if (any) {
      s.upstream().write(new Sync());
      s.expect(new Pending.Swallow('Z'));
    }
  }
}
