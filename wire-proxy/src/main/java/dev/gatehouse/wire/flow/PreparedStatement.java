package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.AwaitingApproval;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.wire.protocol.backend.RowDescription;
import dev.gatehouse.wire.protocol.frontend.Parse;

/**
 * A statement the client prepared through the gateway, with the admission it runs under: admitted,
 * or held for an approval that each of its Executes asks for with its own parameters.
 */
final class PreparedStatement {
  final Parse parse;

  /** The admission every Execute runs under; null when each Execute needs an approval. */
  final Admitted admitted;

  /** The statement as held for approval at Parse; null when it was admitted. */
  final AwaitingApproval awaiting;

  RowDescription description;

  /** The session's SQL cursors when it was prepared: a FETCH was judged against these. */
  java.util.Map<String, String> cursors = java.util.Map.of();

  /**
   * The search_path it was analysed under: the gateway parses its text again only under the same
   * path (an approved or counted run), so names resolve as they were judged.
   */
  java.util.List<String> searchPath = java.util.List.of();

  /** The session's SQL-prepared statements when it was prepared: an EXECUTE was judged so. */
  java.util.Map<String, String> prepared = java.util.Map.of();

  PreparedStatement(Parse parse, Admitted admitted) {
    this.parse = parse;
    this.admitted = admitted;
    this.awaiting = null;
  }

  PreparedStatement(Parse parse, AwaitingApproval awaiting) {
    this.parse = parse;
    this.admitted = null;
    this.awaiting = awaiting;
  }

  Verdict verdict() {
    return admitted != null ? admitted.verdict() : awaiting.verdict();
  }
}
