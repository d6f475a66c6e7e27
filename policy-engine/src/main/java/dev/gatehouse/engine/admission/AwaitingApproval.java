package dev.gatehouse.engine.admission;

import dev.gatehouse.engine.approval.ApprovalException;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statement needs a human's approval: a handle the front end waits on, resumes or cancels.
 * Every call that touches the control database runs on the engine's executor, never on the caller's
 * thread. While it waits, no statement record is written; when it ends without running, exactly one
 * is (ADR 0009).
 */
public final class AwaitingApproval implements Admission {

  private static final Logger log = LoggerFactory.getLogger(AwaitingApproval.class);

  private final AdmissionDesk desk;
  private final StatementRequest request;
  private final Verdict verdict;
  private volatile ApprovalRequest current;

  AwaitingApproval(AdmissionDesk desk, StatementRequest request, Verdict verdict) {
    this.desk = desk;
    this.request = request;
    this.verdict = verdict;
  }

  @Override
  public Verdict verdict() {
    return verdict;
  }

  /**
   * The same statement held for one execution with {@code params}: the request made from the
   * returned handle names these parameters, and the approval it yields is used by that one
   * execution only (the wire's Execute of a prepared statement that needs approval).
   */
  public AwaitingApproval forExecution(List<String> params) {
    StatementRequest r = request;
    return new AwaitingApproval(
        desk,
        new StatementRequest(
            r.principal(),
            r.context(),
            r.connectionId(),
            r.session(),
            r.message(),
            params == null ? List.of() : params,
            null),
        verdict);
  }

  /** The approval request's id: the resumed one, or the new one once {@link #request()}ed. */
  public UUID id() {
    ApprovalRequest r = current;
    return r != null ? r.id() : request.resume();
  }

  /** When the request expires, once known. */
  public Instant expiresAt() {
    ApprovalRequest r = current;
    return r == null ? null : r.expiresAt();
  }

  /**
   * Creates the approval request and notifies the approvers, or finds the resumed one (only its
   * requester may resume it). Completes with this handle, or with a {@link Refused}.
   */
  public CompletableFuture<Admission> request() {
    return CompletableFuture.supplyAsync(this::open, desk.executor());
  }

  private Admission open() {
    ApprovalService approvals = desk.approvals();
    UUID resume = request.resume();
    try {
      if (resume == null) {
        // An MCP retry of a call still waiting for approval gets the request already made, not
        // another (a wire client waits on its connection and does not retry this way).
        ApprovalRequest same =
            request.context().channel() == Channel.MCP ? samePending(approvals) : null;
        if (same != null) {
          current = same;
          return this;
        }
        current =
            approvals.request(
                request.principal(),
                request.context(),
                request.message(),
                request.knownParams(),
                verdict.decision(),
                verdict.analysis());
        return this;
      }
      ApprovalRequest found = approvals.find(resume).orElse(null);
      if (found == null
          || !request.principal().is(found.requesterIssuer(), found.requesterSubject())) {
        // Someone else's id reads the same as an unknown one: nothing about it is disclosed.
        return desk.refuse(request, verdict, new Refusal.ApprovalNotYours(resume), null);
      }
      Channel channel = request.context().channel();
      if (approvals.requestedOn(resume).orElse(null) != channel) {
        // Judged and approved for the session that asked: used elsewhere, it would run in another
        // session (its search_path, its role), and the one that asked would find it used.
        return desk.refuse(
            request,
            verdict,
            new Refusal.ApprovalUnusable(
                resume,
                "approval `"
                    + resume
                    + "` was asked for through another front end and can be used only there;"
                    + " ask again through "
                    + channel.name().toLowerCase(Locale.ROOT)),
            null);
      }
      List<String> unseen = unseenHolds(found);
      if (!unseen.isEmpty()) {
        // Approved for what its approver was shown: this call is held for more (red-team round
        // 54: a session that read untrusted text used the approval another session of the same
        // principal got for the same write, and wrote without anyone weighing the taint).
        return desk.refuse(
            request,
            verdict,
            new Refusal.ApprovalUnusable(
                resume,
                "it was given for this statement held by "
                    + rules(found.ruleIds())
                    + "; this call is also held by "
                    + rules(unseen)
                    + ", which its approver did not see: call again without `approval_id` to ask"
                    + " for an approval of its own"),
            null);
      }
      current = found;
      return this;
    } catch (RuntimeException e) {
      log.warn("could not open an approval request for {}", request.principal().label(), e);
      return desk.refuse(
          request, verdict, new Refusal.Internal("creating the approval request"), null);
    }
  }

  /**
   * The rules holding this call that did not hold {@code found}, the request whose approval it
   * resumes: an approval covers the holds its approver was shown, no others. A write the policy
   * allows, resumed past its grant's row bound, is held by nothing else; how far that approval lets
   * it go is {@link RowBound#approved}'s to say.
   */
  private List<String> unseenHolds(ApprovalRequest found) {
    List<String> holds = verdict.decision().ruleIds();
    if (holds.contains(RowBound.RULE)) {
      return List.of();
    }
    return holds.stream().filter(rule -> !found.ruleIds().contains(rule)).toList();
  }

  private static String rules(List<String> ids) {
    return ids.isEmpty()
        ? "no rule"
        : (ids.size() == 1 ? "rule " : "rules ")
            + String.join(", ", ids.stream().map(id -> "`" + id + "`").toList());
  }

  /**
   * A pending request this call repeats: the same principal, front end, database, statement and
   * parameters, held for the same reasons by the same rules. Held for other reasons (red-team round
   * 52: a write over its bound, "would update 150 rows", joined the request another session had for
   * the same text under another rule, the approver never saw the count, and the approved run was
   * not bound by one), it is a request of its own.
   */
  private ApprovalRequest samePending(ApprovalService approvals) {
    String reasons =
        verdict.decision().explanation() == null ? "" : verdict.decision().explanation();
    for (ApprovalRequest r : approvals.pending()) {
      if (r.state() == ApprovalState.PENDING
          && request.principal().is(r.requesterIssuer(), r.requesterSubject())
          && r.database().equals(request.context().database())
          && r.sql().equals(request.message())
          && r.params().equals(approvals.shownParams(request.knownParams()))
          && r.ruleIds().equals(verdict.decision().ruleIds())
          && r.reasons().equals(reasons)
          && approvals.requestedOn(r.id()).orElse(null) == request.context().channel()) {
        return r;
      }
    }
    return null;
  }

  /**
   * Waits up to {@code wait} for a decision. Completes with {@link Admitted} (approved, and the
   * approval used for this statement), a {@link Refused}, or this handle when it is still pending.
   */
  public CompletableFuture<Admission> await(Duration wait) {
    ApprovalRequest r = current;
    if (r == null) {
      throw new IllegalStateException("request() the approval before awaiting it");
    }
    if (r.state() != ApprovalState.PENDING || wait.isZero()) {
      return CompletableFuture.supplyAsync(() -> resolve(r), desk.executor());
    }
    return desk.approvals()
        .awaitDecision(r.id(), wait)
        .handleAsync(
            (decided, error) -> {
              if (error == null) {
                return resolve(decided);
              }
              log.warn("waiting for approval {} failed", r.id(), error);
              return desk.approvals()
                  .find(r.id())
                  .<Admission>map(this::resolve)
                  .orElseGet(
                      () ->
                          desk.refuseOnce(
                              request,
                              verdict,
                              new Refusal.Internal("waiting for the approval"),
                              r.id()));
            },
            desk.executor());
  }

  private Admission resolve(ApprovalRequest r) {
    current = r;
    UUID id = r.id();
    return switch (r.state()) {
      case PENDING -> this;
      case APPROVED -> use(id);
      case DENIED ->
          desk.refuseOnce(
              request,
              verdict,
              new Refusal.ApprovalDenied(id, r.decidedBy(), r.decisionReason()),
              id);
      case EXPIRED -> desk.refuseOnce(request, verdict, new Refusal.ApprovalExpired(id), id);
      case CANCELLED, USED ->
          desk.refuseOnce(
              request,
              verdict,
              new Refusal.ApprovalClosed(id, r.state().name().toLowerCase(Locale.ROOT)),
              id);
    };
  }

  /** The approval-use step: only the requester, only for exactly what was approved. */
  private Admission use(UUID id) {
    try {
      ApprovalRequest used =
          desk.approvals()
              .consume(
                  id,
                  request.principal(),
                  request.context().database(),
                  request.message(),
                  request.knownParams());
      // Approved, it runs bounded by the count its approver saw, if one was shown (R5).
      ApprovalRequest shown = used != null ? used : current;
      return new Admitted(
          desk, request, RowBound.approved(verdict, shown.reasons(), shown.ruleIds()), id);
    } catch (ApprovalException e) {
      return desk.refuseOnce(
          request, verdict, new Refusal.ApprovalUnusable(id, e.getMessage()), id);
    }
  }

  /** The front end waited {@code waited} and stops: the request is cancelled and refused. */
  public Refused timedOut(Duration waited) {
    cancelRequest("no decision within the gateway's approval wait");
    return desk.refuseOnce(request, verdict, new Refusal.ApprovalTimedOut(id(), waited), id());
  }

  /**
   * Refused before any approver is asked: the front end knows the approved run could not happen
   * where it was asked for ({@code why}), so nobody approves a statement that will not run.
   */
  public Refused refusedBeforeAsking(String why) {
    return desk.refuseOnce(
        request, verdict, new Refusal.Denied(verdict.decision().ruleIds(), why), id());
  }

  /** The client cancelled while waiting (SQLSTATE 57014). */
  public Refused cancelled(String why) {
    cancelRequest(why);
    return desk.refuseOnce(request, verdict, new Refusal.Cancelled(id()), id());
  }

  /** Cancels off the caller's thread; a request that is no longer pending stays as it is. */
  private void cancelRequest(String why) {
    UUID id = id();
    if (id == null) {
      return;
    }
    desk.executor()
        .execute(
            () -> {
              try {
                desk.approvals().cancel(id, why);
              } catch (ApprovalException | RuntimeException e) {
                log.info("approval {} could not be cancelled ({}): {}", id, why, e.getMessage());
              }
            });
  }
}
