package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.Verdict;
import dev.gatehouse.wire.protocol.backend.RowDescription;
import dev.gatehouse.wire.protocol.frontend.Parse;
import java.util.UUID;

/** A statement the client prepared through the gateway, with the verdict it was allowed under. */
final class PreparedStatement {
  final Parse parse;
  final Verdict verdict;
  final UUID approvalId;
  RowDescription description;

  PreparedStatement(Parse parse, Verdict verdict, UUID approvalId) {
    this.parse = parse;
    this.verdict = verdict;
    this.approvalId = approvalId;
  }
}
