package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.AwaitingApproval;
import dev.gatehouse.engine.admission.Refused;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What a flow needs to have a statement admitted: the engine, what it is asked with, where it may
 * wait, and the principal's running slot. One of the session's roles ({@link Session} implements
 * them all).
 */
interface Admitting {

  /** The policy engine's one admission path. */
  Gate gate();

  /** Channel, database, application and address, as of now. */
  RequestContext context();

  /** search_path and cursors, so a statement is analysed as PostgreSQL will run it. */
  AnalysisContext analysisContext();

  /** Where admission runs when it may parse or read the catalog: never the event loop. */
  Executor workers();

  /** The principal's running-statement slot this session holds while it runs one. */
  RunningSlot running();

  /** False (and the session ended) when the token expired. */
  boolean tokenValid();

  /**
   * Waits for an approval without blocking the loop; {@code approved} then owns resuming the
   * session.
   */
  void awaitApproval(
      AwaitingApproval awaiting, Consumer<Admitted> approved, Consumer<Refused> refused);
}
