package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.Verdict;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.approval.ApprovalException;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.wire.protocol.backend.NoticeResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A statement that needs a human's approval: the request is created, the client is told by a
 * NoticeResponse what it waits for, and this connection (only) waits without blocking the event
 * loop: every call that may wait on the control database runs on the session's blocking executor
 * and its result comes back to the loop. Approved: the approval is consumed and the statement runs.
 * Denied, expired, timed out or cancelled: 42501 (57014 when the client cancelled).
 */
final class ApprovalFlow {

  private static final Logger log = LoggerFactory.getLogger(ApprovalFlow.class);

  private final Session session;
  private UUID waiting;
  private BiConsumer<SqlState, String> refusedCallback;

  ApprovalFlow(Session session) {
    this.session = session;
  }

  /**
   * Waits for a decision on {@code sql}; calls {@code approved} (which then owns resuming the
   * session) or {@code refused} (after which the session resumes).
   */
  void await(
      Verdict verdict,
      String sql,
      List<String> params,
      Consumer<UUID> approved,
      BiConsumer<SqlState, String> refused) {
    session.suspend();
    session.whenDone(
        CompletableFuture.supplyAsync(
            () ->
                session
                    .gate
                    .approvals()
                    .request(
                        session.info.principal(),
                        session.context(),
                        sql,
                        params,
                        verdict.decision()),
            session.blocking),
        (request, error) -> {
          if (error != null) {
            log.warn(
                "could not create an approval request in {}", session.info.connectionId(), error);
            refuse(
                refused,
                "the statement needs approval, but the approval request could not be created");
            return;
          }
          waitFor(request, verdict, sql, params, approved, refused);
        });
  }

  private void waitFor(
      ApprovalRequest request,
      Verdict verdict,
      String sql,
      List<String> params,
      Consumer<UUID> approved,
      BiConsumer<SqlState, String> refused) {
    UUID id = request.id();
    if (session.closed()) {
      cancelQuietly(id, "the client disconnected while the request was created");
      refused.accept(SqlState.QUERY_CANCELED, "the client disconnected");
      return;
    }
    session.answer(
        List.of(
            NoticeResponse.notice(
                "waiting for approval `" + id + "`: " + verdict.decision().explanation(),
                "an approver must approve request `"
                    + id
                    + "` before "
                    + request.expiresAt()
                    + "; this connection waits until then")));
    session.clientOut.flush();
    waiting = id;
    refusedCallback = refused;
    session.maybeReadClient();
    session.whenDone(
        session.gate.approvals().awaitDecision(id, session.approvalWait),
        (decided, error) -> {
          if (!id.equals(waiting)) {
            return; // cancelled meanwhile; already answered
          }
          waiting = null;
          if (error != null) {
            refuse(refused, "waiting for approval `" + id + "` failed: " + error.getMessage());
            return;
          }
          decided(id, decided, sql, params, approved, refused);
        });
  }

  private void decided(
      UUID id,
      ApprovalRequest request,
      String sql,
      List<String> params,
      Consumer<UUID> approved,
      BiConsumer<SqlState, String> refused) {
    switch (request.state()) {
      case APPROVED ->
          session.whenDone(
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return session
                          .gate
                          .approvals()
                          .consume(
                              id, session.info.principal(), session.info.database(), sql, params);
                    } catch (ApprovalException e) {
                      throw new CompletionException(e);
                    }
                  },
                  session.blocking),
              (used, error) -> {
                if (error != null) {
                  refuse(refused, "approval `" + id + "` cannot be used: " + error.getMessage());
                } else {
                  approved.accept(id);
                }
              });
      case DENIED ->
          refuse(
              refused,
              "approval `"
                  + id
                  + "` was denied by "
                  + request.decidedBy()
                  + (request.decisionReason() == null ? "" : ": " + request.decisionReason()));
      case EXPIRED -> refuse(refused, "approval `" + id + "` expired before anyone decided");
      case PENDING -> {
        cancelQuietly(id, "no decision within the gateway's approval wait");
        refuse(
            refused, "no approver decided on approval `" + id + "` within " + session.approvalWait);
      }
      default ->
          refuse(refused, "approval `" + id + "` is " + request.state().name().toLowerCase());
    }
  }

  private void refuse(BiConsumer<SqlState, String> refused, String message) {
    refused.accept(SqlState.INSUFFICIENT_PRIVILEGE, message);
    session.resume();
  }

  boolean waiting() {
    return waiting != null;
  }

  /** A CancelRequest while waiting: the request is cancelled and the statement fails with 57014. */
  boolean cancelWaiting() {
    UUID id = waiting;
    if (id == null) {
      return false;
    }
    waiting = null;
    cancelQuietly(id, "cancelled by the client");
    refusedCallback.accept(
        SqlState.QUERY_CANCELED, "canceling statement due to user request: approval `" + id + "`");
    session.resume();
    return true;
  }

  /** The client went away while waiting: nobody is left to run the statement. */
  void clientGone() {
    UUID id = waiting;
    waiting = null;
    if (id != null) {
      cancelQuietly(id, "the client disconnected while waiting");
      // Lets the waiting flow give back what it holds; its answer goes nowhere.
      refusedCallback.accept(SqlState.QUERY_CANCELED, "the client disconnected");
    }
  }

  /** Cancels off the event loop; a request that is no longer pending stays as it is. */
  private void cancelQuietly(UUID id, String why) {
    session.blocking.execute(
        () -> {
          try {
            session.gate.approvals().cancel(id, why);
          } catch (ApprovalException | RuntimeException e) {
            log.info("approval {} could not be cancelled ({}): {}", id, why, e.getMessage());
          }
        });
  }
}
