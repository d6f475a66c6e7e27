package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.quota.QuotaExceeded;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.wire.upstream.UpstreamQuota;

/**
 * The running-statement slot ({@code quotas.statementsPerPrincipal}) a wire session holds for its
 * principal while a statement of it is starting or owed an answer, and gives back as soon as none
 * is. A session holds at most one: PostgreSQL runs one statement at a time on a connection, so a
 * pipeline (a pgjdbc batch of many Executes) is one running statement, not many.
 *
 * <p>Taken by {@link #claim} when a statement is about to start (refused past the quota), or, for a
 * statement a human approved, when its answer becomes owed (counted, never refused). A statement
 * waiting for approval holds no slot: it runs nothing upstream, and may wait for minutes. All on
 * the session's event loop.
 */
final class RunningSlot {

  private final Quotas quotas;
  private final UpstreamQuota owner;
  private Quotas.Permit permit;

  /** Statement runs whose answers are owed ({@link Owed}). */
  private int owed;

  /** Claimed for a statement that is not owed yet (its record or upstream is on the way). */
  private boolean starting;

  private boolean closed;

  /** {@code owner} null: nothing is counted (a session without quotas, in tests). */
  RunningSlot(UpstreamQuota owner) {
    this.owner = owner;
    this.quotas = owner == null ? null : owner.quotas();
  }

  /**
   * A statement is about to start on this session: takes the slot unless it is held already.
   *
   * @throws QuotaExceeded when the principal runs as many statements as its quota allows
   */
  void claim() {
    if (closed || quotas == null) {
      return;
    }
    if (permit == null) {
      permit = quotas.statement(owner.principal());
    }
    starting = true;
  }

  /** The claimed statement did not start (refused, failed) or waits for a human: not running. */
  void notStarting() {
    starting = false;
    settle();
  }

  /** A statement run's answer is owed from now on. */
  void owed() {
    owed++;
    starting = false;
    if (permit == null && !closed && quotas != null) {
      // Not claimed: a statement a human approved. Counted, not refused (Quotas#approvedStatement).
      permit = quotas.approvedStatement(owner.principal());
    }
  }

  /** A statement run's answer is complete, or will never come. */
  void answered() {
    if (owed > 0) {
      owed--;
    }
    settle();
  }

  /** The session ended: the slot goes back whatever was still in flight. */
  void close() {
    closed = true;
    owed = 0;
    starting = false;
    settle();
  }

  /** True while the session holds its principal's slot. */
  boolean held() {
    return permit != null;
  }

  private void settle() {
    if (permit != null && owed == 0 && !starting) {
      permit.close();
      permit = null;
    }
  }
}
