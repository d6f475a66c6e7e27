package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.AwaitingApproval;
import dev.gatehouse.engine.admission.Refusal;
import dev.gatehouse.engine.admission.Refused;
import dev.gatehouse.wire.protocol.backend.NoticeResponse;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A statement that needs a human's approval, as the wire shows it: a NoticeResponse tells the
 * client what it waits for, and this connection (only) waits without blocking the event loop.
 * Creating, waiting for, using and refusing the approval is admission's work (ADR 0009); this flow
 * only waits for its answers on the loop. Approved: the statement runs. Denied, expired, timed out:
 * 42501; cancelled by the client: 57014.
 */
final class ApprovalFlow {

  private static final Logger log = LoggerFactory.getLogger(ApprovalFlow.class);

  private final Pacing pacing;
  private final ClientAnswers client;
  private final java.time.Duration approvalWait;
  private AwaitingApproval waiting;
  private Consumer<Refused> refusedCallback;

  ApprovalFlow(Pacing pacing, ClientAnswers client, java.time.Duration approvalWait) {
    this.pacing = pacing;
    this.client = client;
    this.approvalWait = approvalWait;
  }

  /**
   * Waits for a decision; calls {@code approved} (which then owns resuming the session) or {@code
   * refused} (after which the session resumes).
   */
  void await(AwaitingApproval awaiting, Consumer<Admitted> approved, Consumer<Refused> refused) {
    pacing.suspend();
    pacing.whenDone(
        awaiting.request(),
        (opened, error) -> {
          if (error != null) {
            log.warn("approval request failed in {}", client.info().connectionId(), error);
            refuse(refused, internal(awaiting, "creating the approval request"));
            return;
          }
          switch (opened) {
            case AwaitingApproval a -> waitFor(a, approved, refused);
            case Refused r -> refuse(refused, r);
            case Admitted a -> approved.accept(a);
          }
        });
  }

  private void waitFor(
      AwaitingApproval awaiting, Consumer<Admitted> approved, Consumer<Refused> refused) {
    if (pacing.closed()) {
      refused.accept(awaiting.cancelled("the client disconnected while the request was created"));
      return;
    }
    client.answer(
        List.of(
            NoticeResponse.notice(
                "waiting for approval `"
                    + awaiting.id()
                    + "`: "
                    + awaiting.verdict().decision().explanation(),
                "an approver must approve request `"
                    + awaiting.id()
                    + "` before "
                    + awaiting.expiresAt()
                    + "; this connection waits until then")));
    client.flushClient();
    waiting = awaiting;
    refusedCallback = refused;
    pacing.maybeReadClient();
    pacing.whenDone(
        awaiting.await(approvalWait),
        (decided, error) -> {
          if (waiting != awaiting) {
            return; // cancelled meanwhile; already answered
          }
          waiting = null;
          if (error != null) {
            log.warn("waiting for approval failed in {}", client.info().connectionId(), error);
            refuse(refused, internal(awaiting, "waiting for the approval"));
            return;
          }
          switch (decided) {
            case Admitted a -> approved.accept(a);
            case Refused r -> refuse(refused, r);
            case AwaitingApproval still -> refuse(refused, still.timedOut(approvalWait));
          }
        });
  }

  private static Refused internal(AwaitingApproval awaiting, String step) {
    return new Refused(awaiting.verdict(), new Refusal.Internal(step), null);
  }

  private void refuse(Consumer<Refused> refused, Refused why) {
    refused.accept(why);
    pacing.resume();
  }

  boolean waiting() {
    return waiting != null;
  }

  /** A CancelRequest while waiting: the request is cancelled and the statement fails with 57014. */
  boolean cancelWaiting() {
    AwaitingApproval awaiting = waiting;
    if (awaiting == null) {
      return false;
    }
    waiting = null;
    refusedCallback.accept(awaiting.cancelled("cancelled by the client"));
    pacing.resume();
    return true;
  }

  /** The client went away while waiting: nobody is left to run the statement. */
  void clientGone() {
    AwaitingApproval awaiting = waiting;
    waiting = null;
    if (awaiting != null) {
      // Lets the waiting flow give back what it holds; its answer goes nowhere.
      refusedCallback.accept(awaiting.cancelled("the client disconnected while waiting"));
    }
  }
}
