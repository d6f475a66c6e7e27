package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.Completion;
import dev.gatehouse.engine.admission.Run;
import dev.gatehouse.engine.masking.AppliedMask;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.policy.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One governed statement on its way through: its admission, its run (audit record), mask plan and
 * counters, from the moment it is sent upstream to its completion.
 */
final class StatementRun {
  final Admitted admitted;
  final Verdict verdict;
  final Run audit;

  /** A simple Query ends at ReadyForQuery; an Execute at its CommandComplete. */
  final boolean simple;

  final long rowLimit;

  /** For an Execute: the portal whose description gives the columns; null for a Query. */
  final Portal portal;

  private final long startNanos = System.nanoTime();
  private final Set<AppliedMask> masks = new LinkedHashSet<>();
  MaskPlan plan;
  long rowsSent;
  long rowsReported;

  /** Statements of the message that completed so far: the next result set is the next one's. */
  int completedStatements;

  boolean truncated;
  String sqlState;
  String error;
  CopyFlow.Out copyOut;

  /** For a simple Query: counts its statements as the upstream ends them. */
  final StatementCount count;

  /** A COPY TO STDOUT under masking: its statement, or why it cannot be masked. */
  dev.gatehouse.engine.masking.CopyCommand copyCommand;

  String copyProblem;

  /** The COPY's query as the upstream described it, or its error (sent in the COPY's place). */
  List<dev.gatehouse.engine.masking.ResultColumn> copyColumns;

  dev.gatehouse.wire.protocol.Frame copyDescribeError;

  boolean copyHeaderSent;

  /** Sent upstream before its audit record was durable; its answers wait ({@link ResultHold}). */
  boolean recordPending;

  private boolean completed;

  StatementRun(Admitted admitted, Run audit, Portal portal) {
    this.admitted = admitted;
    this.verdict = admitted.verdict();
    this.audit = audit;
    this.portal = portal;
    this.simple = portal == null;
    this.rowLimit = verdict.decision().obligations().rowLimit();
    this.count = simple ? new StatementCount(verdict.analysis().statements().size()) : null;
  }

  /**
   * True when {@code type} answers a statement the analysis did not see ({@link StatementCount}).
   */
  boolean beyondAnalysis(char type) {
    return count != null && count.beyond(type);
  }

  /** Starts a new result set (a simple Query may have several). */
  void plan(MaskPlan next) {
    collectMasks();
    plan = next;
  }

  void failed(String sqlState, String error) {
    if (this.sqlState == null) {
      this.sqlState = sqlState;
      this.error = error;
    }
  }

  /** Records the outcome once; later calls do nothing. */
  void complete() {
    if (completed) {
      return;
    }
    completed = true;
    collectMasks();
    long rows = Math.max(rowsSent, rowsReported);
    List<AppliedMask> applied = new ArrayList<>(masks);
    audit.complete(
        new Completion(
            rows, Duration.ofNanos(System.nanoTime() - startNanos), applied, sqlState, error));
  }

  private void collectMasks() {
    if (plan != null) {
      masks.addAll(plan.applied());
    }
  }
}
