package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.wire.protocol.backend.RowDescription;
import dev.gatehouse.wire.protocol.frontend.Parse;

/** A statement the client prepared through the gateway, with the admission it runs under. */
final class PreparedStatement {
  final Parse parse;
  final Admitted admitted;
  RowDescription description;

  PreparedStatement(Parse parse, Admitted admitted) {
    this.parse = parse;
    this.admitted = admitted;
  }
}
