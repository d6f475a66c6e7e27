package dev.gatehouse.wire.flow;

import dev.gatehouse.wire.protocol.backend.RowDescription;
import dev.gatehouse.wire.protocol.frontend.Bind;

/** A portal the client bound through the gateway: its statement and parameters. */
final class Portal {
  final PreparedStatement statement;
  final Bind bind;
  RowDescription description;

  /**
   * The approval this portal's first Execute ran on, in the session's own connection; null before.
   * A later Execute of the portal fetches rows of that same run (PostgreSQL runs a statement once,
   * at the portal's first Execute; a write, to its end), so it runs on that approval and asks no
   * one again (red-team round 47: each fetch of a suspended, approved portal asked a dba anew).
   */
  dev.gatehouse.engine.admission.Admitted approvedRun;

  /** Whether a Describe of this portal went upstream (the client's or the gateway's own). */
  boolean describeSent;

  /** rows of this portal the client received, over all its Executes. */
  long rowsSent;

  /**
   * The tag PostgreSQL gives an exhausted portal (e.g. {@code UPDATE 0}) once it ran to its end
   * where the session's upstream portal cannot answer for it: a bounded write in a transaction of
   * the gateway's own, whose COMMIT closed it upstream, or an approved run on a connection of
   * another role; null while the upstream portal is there to answer.
   */
  String exhausted;

  /**
   * The tag PostgreSQL gives another Execute of {@code run}'s portal once it ran to its end: the
   * statement's command with a count of 0 (red-team round 31: a portal run elsewhere, for an
   * approval as another role, was run again by its next Execute, where PostgreSQL runs nothing).
   */
  static String endTag(StatementRun run) {
    String tag = run.verdict.analysis().statements().getFirst().commandTag();
    return tag.equals("INSERT") ? "INSERT 0 0" : tag + " 0";
  }

  /**
   * Asks the upstream to describe {@code portal}, named {@code name} there, before {@code run}
   * executes it, unless its rows are known or a Describe of it went before: the rows of a result
   * are masked by their columns, so no row goes out under a plan made without them.
   */
  static void describeFirst(UpstreamSide s, Portal portal, String name, StatementRun run) {
    if (portal.describeSent || portal.rows() != null) {
      return;
    }
    portal.describeSent = true;
    s.expect(new Pending.HiddenDescribe(portal, run));
    s.upstream().write(new dev.gatehouse.wire.protocol.frontend.Describe('P', name));
  }

  Portal(PreparedStatement statement, Bind bind) {
    this.statement = statement;
    this.bind = bind;
  }

  /** The portal's row description: described directly, or the statement's in the bound formats. */
  RowDescription rows() {
    if (description != null) {
      return description;
    }
    if (statement.description != null) {
      return statement.description.withFormats(bind::resultFormat);
    }
    return null;
  }
}
