package dev.gatehouse.wire.flow;

import dev.gatehouse.wire.protocol.backend.RowDescription;
import dev.gatehouse.wire.protocol.frontend.Bind;

/** A portal the client bound through the gateway: its statement and parameters. */
final class Portal {
  final PreparedStatement statement;
  final Bind bind;
  RowDescription description;

  /** rows of this portal the client received, over all its Executes. */
  long rowsSent;

  /**
   * The tag PostgreSQL gives an exhausted portal (e.g. {@code UPDATE 0}) once a bounded write ran
   * it to its end in a transaction of the gateway's own, whose COMMIT closed it upstream; null
   * while the upstream portal is there to answer.
   */
  String exhausted;

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
