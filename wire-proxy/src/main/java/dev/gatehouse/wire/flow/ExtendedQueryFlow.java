package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.Verdict;
import dev.gatehouse.engine.audit.StatementAudit;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.SqlState;
import dev.gatehouse.wire.protocol.backend.CloseComplete;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Close;
import dev.gatehouse.wire.protocol.frontend.Describe;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Flush;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The extended query protocol: statements are judged at Parse, recorded with their parameters at
 * Execute, and pipelined messages are forwarded without waiting for answers. After a denial (or any
 * error) everything up to Sync is discarded, as PostgreSQL itself does, and Sync's ReadyForQuery
 * ends the cycle.
 *
 * @see <a
 *     href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY">Extended
 *     query</a>
 */
final class ExtendedQueryFlow {

  private final Session session;
  private boolean skipping;
  private boolean forwardedSinceSync;

  ExtendedQueryFlow(Session session) {
    this.session = session;
  }

  /** True when messages of an unfinished cycle (no Sync yet) went upstream. */
  boolean inCycle() {
    return forwardedSinceSync;
  }

  void message(Frame frame) {
    if (skipping && frame.typeChar() != 'S') {
      frame.release();
      return;
    }
    FrontendMessage message;
    try {
      message = FrontendMessage.decode(frame);
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
    switch (message) {
      case Parse parse -> parse(frame, parse);
      case Bind bind -> bind(frame, bind);
      case Describe describe -> describe(frame, describe);
      case Execute execute -> execute(frame, execute);
      case Close close -> close(frame, close);
      case Sync sync -> sync(frame);
      case Flush flush -> {
        if (session.upstream == null) {
          frame.release(); // nothing upstream to flush; our own answers are flushed anyway
        } else {
          forward(frame, null);
        }
      }
      default -> throw new IllegalStateException("not an extended query message: " + message);
    }
  }

  private void parse(Frame original, Parse requested) {
    if (!session.tokenValid()) {
      original.release();
      return;
    }
    Frame frame = original;
    Parse parse = requested;
    switch (session.transaction.action(requested.sql())) {
      case REFUSE -> {
        refuse(original);
        session.error(SqlState.IN_FAILED_SQL_TRANSACTION, TransactionGuard.MESSAGE, null, false);
        return;
      }
      case ROLLBACK -> {
        // COMMIT of an aborted block rolls back, as in PostgreSQL.
        parse = new Parse(requested.name(), "ROLLBACK", List.of());
        original.release();
        io.netty.buffer.ByteBuf out = session.client.alloc().buffer();
        parse.encode(out);
        frame = new Frame((byte) 'P', out);
      }
      case DECIDE, RECOVER -> {}
    }
    decideParse(frame, parse, requested.sql());
  }

  private void decideParse(Frame frame, Parse parse, String sql) {
    Verdict verdict = Governance.decide(session, sql, false);
    if (verdict == null) {
      refuse(frame);
      return;
    }
    switch (verdict.decision().effect()) {
      case DENY -> {
        refuse(frame);
        Governance.deny(session, verdict, List.of(), false);
      }
      // approvals-bound: prepared on the session's own connection; approved per Execute.
      case REQUIRE_APPROVAL -> prepareForApproval(frame, parse, verdict);
      case ALLOW -> prepare(frame, parse, verdict, null);
    }
  }

  /** approvals-bound: the Parse goes to the session's own connection, not the approved role's. */
  private void prepareForApproval(Frame frame, Parse parse, Verdict verdict) {
    if (session.upstream == null) {
      refuse(frame);
      session.error(
          SqlState.INSUFFICIENT_PRIVILEGE,
          "the statement needs approval, and this session has no upstream connection to prepare"
              + " it on; run it with the simple query protocol",
          verdict.decision().explanation(),
          false);
      return;
    }
    prepare(frame, parse, verdict, null, CompletableFuture.completedFuture(null));
  }

  private void prepare(Frame frame, Parse parse, Verdict verdict, UUID approvalId) {
    prepare(frame, parse, verdict, approvalId, session.ensureUpstream(verdict));
  }

  private void prepare(
      Frame frame,
      Parse parse,
      Verdict verdict,
      UUID approvalId,
      CompletableFuture<Void> upstreamReady) {
    session.suspend();
    session.whenDone(
        upstreamReady,
        (ignored, error) -> {
          if (error != null) {
            refuse(frame);
            Governance.upstreamFailed(session, error, false);
          } else {
            // A named statement that exists stays as it was (PostgreSQL refuses the Parse), so its
            // verdict must not be replaced by this one.
            if (parse.name().isEmpty() || !session.statements.containsKey(parse.name())) {
              session.statements.put(
                  parse.name(), new PreparedStatement(parse, verdict, approvalId));
            }
            forward(frame, new Pending.Reply('1'));
          }
          session.resume();
        });
  }

  private void bind(Frame frame, Bind bind) {
    PreparedStatement statement = session.statements.get(bind.statement());
    if (statement == null) {
      unknown(frame, "prepared statement `" + bind.statement() + "` does not exist");
      return;
    }
    session.portals.put(bind.portal(), new Portal(statement, bind));
    forward(frame, new Pending.Reply('2'));
  }

  private void describe(Frame frame, Describe describe) {
    if (describe.statement()) {
      PreparedStatement statement = session.statements.get(describe.name());
      if (statement == null) {
        unknown(frame, "prepared statement `" + describe.name() + "` does not exist");
        return;
      }
      forward(frame, new Pending.DescribeStatement(statement));
    } else {
      Portal portal = session.portals.get(describe.name());
      if (portal == null) {
        unknown(frame, "portal `" + describe.name() + "` does not exist");
        return;
      }
      forward(frame, new Pending.DescribePortal(portal));
    }
  }

  private void execute(Frame frame, Execute execute) {
    if (!session.tokenValid()) {
      frame.release();
      return;
    }
    Portal portal = session.portals.get(execute.portal());
    if (portal == null) {
      unknown(frame, "portal `" + execute.portal() + "` does not exist");
      return;
    }
    // approvals-bound: approval per Execute with its parameters; a statement prepared as another
    // upstream role never runs on this connection.
    if (ApprovedExecution.needsApproval(portal)) {
      session.suspend();
      ApprovedExecution.execute(session, this, frame, portal);
      return;
    }
    if (!RoleIsolation.sameRole(session, portal, this, frame)) {
      return;
    }
    Verdict verdict = portal.statement.verdict;
    StatementAudit audit;
    try {
      audit =
          Governance.record(
              session, verdict, portal.bind.parametersAsText(), portal.statement.approvalId);
    } catch (RuntimeException e) {
      refuse(frame);
      Governance.auditUnavailable(session, e, false);
      return;
    }
    CompletableFuture<Void> durable = audit.durable();
    if (SimpleQueryFlow.early(verdict, portal.statement.approvalId, durable)) {
      // A plain read goes now; its answers wait for its record (ResultHold).
      StatementRun run = new StatementRun(verdict, audit, portal);
      session.hold.await(run, durable);
      forward(frame, new Pending.Run(run));
      return;
    }
    session.suspend();
    session.whenDone(
        durable,
        (done, error) -> {
          if (error != null) {
            refuse(frame);
            Governance.auditUnavailable(session, error, false);
          } else if (BlastRadius.applies(verdict)) {
            // approvals-bound: a write under a row bound; resumes once its count is known.
            try {
              BlastRadius.extended(
                  session, this, frame, portal, new StatementRun(verdict, audit, portal));
            } catch (RuntimeException e) {
              session.fatal(SqlState.INTERNAL_ERROR, "internal error in the gateway: " + e);
            }
            return;
          } else {
            forward(frame, new Pending.Run(new StatementRun(verdict, audit, portal)));
          }
          session.resume();
        });
  }

  private void close(Frame frame, Close close) {
    if (close.kind() == 'S') {
      session.statements.remove(close.name());
    } else {
      session.portals.remove(close.name());
    }
    if (session.upstream == null) {
      frame.release();
      session.answer(List.of(new CloseComplete()));
      return;
    }
    forward(frame, new Pending.Reply('3'));
  }

  private void sync(Frame frame) {
    skipping = false;
    forwardedSinceSync = false;
    if (session.upstream == null) {
      frame.release();
      session.answer(() -> List.of(ResultRelay.ready(session)));
      return;
    }
    session.pending.add(new Pending.SyncPoint());
    session.upstream.write(frame);
  }

  void forward(Frame frame, Pending expected) {
    if (session.upstream == null) {
      // Nothing was ever allowed on this connection, so there is nothing upstream to ask.
      unknown(frame, "nothing was prepared on this connection");
      return;
    }
    if (expected != null) {
      session.pending.add(expected);
    }
    forwardedSinceSync = true;
    session.upstream.write(frame);
  }

  /** approvals-bound: discard the client's messages up to its Sync. */
  void skipToSync() {
    skipping = true;
  }

  private void unknown(Frame frame, String message) {
    refuse(frame);
    session.error(SqlState.INVALID_STATEMENT_NAME, message, null, false);
  }

  /** Drops the message and everything up to Sync, as the server does after an error. */
  void refuse(Frame frame) {
    if (frame.refCnt() > 0) {
      frame.release();
    }
    skipping = true;
  }
}
