package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.RowBound;
import dev.gatehouse.engine.admission.Run;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.backend.CommandComplete;
import dev.gatehouse.wire.protocol.frontend.Query;
import java.util.List;

/** {@link BlastRadius} for the simple query protocol. */
final class BlastSimple {

  private BlastSimple() {}

  static void run(FlowContext s, String sql, Admitted admitted, Run record) {
    Verdict verdict = admitted.verdict();
    StatementRun run = new StatementRun(admitted, record, null);
    List<StatementInfo> statements = verdict.analysis().statements();
    boolean wrapped = wrapped(statements) && s.transaction().idle();
    boolean control = statements.stream().anyMatch(BlastSimple::isTransaction);
    if (!BlastRadius.countable(verdict)) {
      run.failed("42501", "not run: a write whose rows cannot be counted needs approval");
      run.complete();
      approve(
          s, sql, admitted, BlastRadius.uncountable(verdict, RowBound.uncountableReason(verdict)));
      return;
    }
    if (statements.size() > 1 && RowBound.copiesIn(verdict)) {
      // The guard holds each statement's answers until the count is known, but a COPY's
      // CopyInResponse must reach the client at once: among other statements, the answers would
      // come out of PostgreSQL's order (red-team round 36: psql failed, "trying to exit copy
      // mode"). Approved, the message runs as sent.
      run.failed("42501", "not run: a COPY FROM STDIN among other statements needs approval");
      run.complete();
      approve(
          s,
          sql,
          admitted,
          BlastRadius.uncountable(
              verdict,
              "a COPY FROM STDIN among other statements of one Query cannot be counted in the"
                  + " order PostgreSQL answers them; send the COPY on its own to have it counted"));
      return;
    }
    if (control && !wrapped) {
      // Its own COMMIT would make the write final before the gateway could count it.
      run.failed("42501", "not run: transaction control with a bounded write needs approval");
      run.complete();
      Verdict held = RowBound.withTransactionControl(verdict);
      approve(s, sql, admitted, held);
      return;
    }
    // A COPY (… RETURNING …) TO STDOUT under masking: its query is described before it runs, as
    // without a bound. One that masking cannot pass is refused before it runs: refused at its
    // CopyOutResponse, its write would already be kept.
    if (CopyFlow.describeOrRefuse(s, run)) {
      s.resume();
      return;
    }
    String body = wrapped ? middle(statements) : sql;
    boolean own = s.transaction().idle();
    query(s, own ? "BEGIN" : "SAVEPOINT " + BlastRadius.SAVEPOINT);
    s.expect(new Pending.Swallow('C'));
    s.expect(new Pending.Swallow('Z'));
    long bound = verdict.decision().obligations().maxRowsAffected();
    BlastGuard guard = new BlastGuard('Z', bound, RowBound.countsReads(verdict));
    s.expect(new Pending.Guarded(guard, () -> done(s, sql, run, guard, own, wrapped)));
    query(s, body);
    s.upstream().flush();
  }

  private static void done(
      FlowContext s, String sql, StatementRun run, BlastGuard guard, boolean own, boolean wrapped) {
    if (guard.skipped) {
      BlastRadius.skipped(s, run, guard);
      return;
    }
    long bound = run.verdict.decision().obligations().maxRowsAffected();
    boolean over = !guard.failed && guard.rows > bound;
    String end;
    if (guard.failed) {
      end = own ? "ROLLBACK" : null;
    } else if (!over) {
      end = own ? "COMMIT" : "RELEASE SAVEPOINT " + BlastRadius.SAVEPOINT;
    } else {
      end =
          own
              ? "ROLLBACK"
              : "ROLLBACK TO SAVEPOINT "
                  + BlastRadius.SAVEPOINT
                  + "; RELEASE SAVEPOINT "
                  + BlastRadius.SAVEPOINT;
    }
    if (end == null) {
      deliver(s, run, guard, null, false);
      return;
    }
    BlastGuard ending = new BlastGuard('Z', 0);
    s.expect(
        new Pending.Guarded(
            ending,
            () -> {
              if (over) {
                guard.discard();
                ending.discard();
                BlastRadius.overBoundRun(s, run, guard.rows);
                if (RowBound.copiesIn(run.verdict)) {
                  // The copied data is gone: nothing to run again once approved.
                  s.error(
                      SqlState.INSUFFICIENT_PRIVILEGE,
                      RowBound.copyOverBound(run.verdict, guard.rows),
                      null,
                      true);
                  s.resume();
                } else {
                  approve(s, sql, run.admitted, BlastRadius.heldFor(run, guard.rows));
                }
              } else {
                deliver(s, run, guard, ending, wrapped && !guard.failed);
              }
            }));
    query(s, end);
    s.upstream().flush();
  }

  /** The held answers, then those of the gateway's COMMIT or ROLLBACK, and ReadyForQuery. */
  private static void deliver(
      FlowContext s, StatementRun run, BlastGuard guard, BlastGuard ending, boolean wrapped) {
    if (wrapped) {
      s.send(new CommandComplete("BEGIN"));
      // the client's BEGIN was answered here, not upstream: the next result is statement 1's
      run.completedStatements = 1;
    }
    for (Frame f : guard.held) {
      s.relay().results().frame(run, f.typeChar(), UpstreamErrors.redact(s, run, f));
    }
    guard.held.clear();
    Frame ready = guard.ready;
    if (ending != null) {
      boolean endFailed = ending.failed;
      for (Frame f : ending.held) {
        if (f.typeChar() == 'E') {
          s.relay().results().frame(run, 'E', UpstreamErrors.redact(s, run, f));
        } else {
          f.release();
        }
      }
      ending.held.clear();
      if (wrapped && !endFailed) {
        s.send(new CommandComplete("COMMIT"));
      }
      if (ready != null) {
        ready.release();
      }
      ready = ending.ready;
    }
    if (ready != null) {
      s.relay().results().frame(run, 'Z', ready);
    }
    s.resume();
  }

  /** Asks for approval of the whole message; approved, it runs once as sent. */
  private static void approve(FlowContext s, String sql, Admitted admitted, Verdict held) {
    s.awaitApproval(
        admitted.escalate(held, List.of()),
        approved -> again(s, sql, approved),
        refused -> Governance.refuse(s, refused, true));
  }

  private static void again(FlowContext s, String sql, Admitted approved) {
    Run audit;
    try {
      audit = approved.start(List.of());
    } catch (RuntimeException e) {
      Governance.auditUnavailable(s, e, true);
      s.resume();
      return;
    }
    // The approved write goes upstream only once its record is durable (ADR 0004).
    s.whenDone(
        audit.durable(),
        (done, error) -> {
          if (error != null) {
            Governance.auditUnavailable(s, error, true);
          } else if (RowBound.applies(approved.verdict())) {
            // Counted again under the count its approver saw (R5); resumes once counted.
            run(s, sql, approved, audit);
            return;
          } else {
            StatementRun run = new StatementRun(approved, audit, null);
            if (!CopyFlow.describeOrRefuse(s, run)) {
              s.expect(new Pending.Run(run));
              query(s, sql);
              s.upstream().flush();
            }
          }
          s.resume();
        });
  }

  private static void query(FlowContext s, String sql) {
    s.upstream().write(new Query(sql));
  }

  private static boolean isTransaction(StatementInfo s) {
    return s.statementClass() == StatementClass.TRANSACTION;
  }

  /** {@code BEGIN; ...; COMMIT} with no other transaction control in between. */
  private static boolean wrapped(List<StatementInfo> statements) {
    if (statements.size() < 3) {
      return false;
    }
    // Only the plain forms: the gateway's own BEGIN and COMMIT replace them exactly.
    String first = words(statements.getFirst().sql());
    String last = words(statements.getLast().sql());
    if (!List.of("begin", "begin work", "begin transaction", "start transaction").contains(first)
        || !List.of(
                "commit", "commit work", "commit transaction", "end", "end work", "end transaction")
            .contains(last)) {
      return false;
    }
    return statements.subList(1, statements.size() - 1).stream()
        .noneMatch(BlastSimple::isTransaction);
  }

  private static String words(String sql) {
    return sql.strip().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
  }

  private static String middle(List<StatementInfo> statements) {
    StringBuilder b = new StringBuilder();
    for (StatementInfo st : statements.subList(1, statements.size() - 1)) {
      b.append(st.sql()).append(";\n");
    }
    return b.toString();
  }
}
