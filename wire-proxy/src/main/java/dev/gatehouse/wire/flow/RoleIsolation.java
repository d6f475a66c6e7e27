package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.wire.protocol.Frame;

/**
 * A prepared statement runs only as the upstream role it was decided for. Statements are replayed
 * on a new connection when the session changes role (ADR 0006); such a statement, executed on a
 * connection of another role, would run with that role's privileges, so it is refused instead.
 */
final class RoleIsolation {

  private RoleIsolation() {}

  /** True when the portal may run on the session's connection; else the client is answered. */
  static <S extends ClientAnswers & UpstreamSide> boolean sameRole(
      S s, Portal portal, ExtendedQueryFlow flow, Frame frame) {
    String decided = portal.statement.verdict().decision().obligations().upstreamRole();
    String current = s.upstream() == null ? null : s.upstream().role();
    if (decided != null && decided.equals(current)) {
      return true;
    }
    flow.refuse(frame);
    s.error(
        SqlState.INSUFFICIENT_PRIVILEGE,
        "prepared statement `"
            + portal.statement.parse.name()
            + "` was allowed as upstream role `"
            + decided
            + "` but the session now runs as `"
            + current
            + "`; prepare it again",
        null,
        false);
    return false;
  }
}
