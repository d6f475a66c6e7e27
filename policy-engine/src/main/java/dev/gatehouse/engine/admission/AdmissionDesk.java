package dev.gatehouse.engine.admission;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.ApprovalState;
import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.audit.StatementAudit;
import dev.gatehouse.engine.audit.StatementEvent;
import dev.gatehouse.engine.audit.StatementOutcome;
import dev.gatehouse.engine.cache.BoundedCache;
import dev.gatehouse.engine.cache.Same;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.MaskPlanner;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.RulePolicyEvaluator;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.AnalysisLimit;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission, the one path of every statement: decide, then run, wait for a human, or refuse — with
 * recording, approval requests, waits and use, and the durability rule of ADR 0004 inside, once,
 * for both front ends (ADR 0009).
 */
public final class AdmissionDesk {

  /** Analyses and decides a message (the gate's {@code decide}). */
  @FunctionalInterface
  public interface Decider {
    Verdict decide(
        Principal principal, RequestContext context, AnalysisContext session, String message);
  }

  private static final Logger log = LoggerFactory.getLogger(AdmissionDesk.class);

  /** How many approval ids the once-only refusal guard remembers (per instance). */
  private static final int REMEMBERED_REFUSALS = 10_000;

  private final Decider decider;
  private final AuditTrail audit;
  private final ApprovalService approvals;
  private final MaskPlanner maskPlanner;
  private final Executor executor;
  private final AdmissionObserver observer;
  private final java.util.function.Supplier<dev.gatehouse.engine.policy.TaintSettings> taint;
  private final BoundedCache<UUID, Boolean> refusedApprovals =
      new BoundedCache<>(REMEMBERED_REFUSALS);

  /**
   * Mask plans made again ({@link MaskPlan#again}) for results of the same statement and columns
   * while the catalog snapshot is the same object, read before and after planning (issue 15:
   * planning was 17% of a simple-protocol read's event-loop time, 7% of a prepared write's).
   */
  private final BoundedCache<List<Object>, KeptPlan> plans = new BoundedCache<>(1_024);

  private record KeptPlan(Object generation, MaskPlan plan) {}

  public AdmissionDesk(
      Decider decider,
      AuditTrail audit,
      ApprovalService approvals,
      MaskPlanner maskPlanner,
      Executor executor,
      AdmissionObserver observer) {
    this(decider, audit, approvals, maskPlanner, executor, observer, null);
  }

  private AdmissionDesk(
      Decider decider,
      AuditTrail audit,
      ApprovalService approvals,
      MaskPlanner maskPlanner,
      Executor executor,
      AdmissionObserver observer,
      java.util.function.Supplier<dev.gatehouse.engine.policy.TaintSettings> taint) {
    this.taint = taint == null ? () -> dev.gatehouse.engine.policy.TaintSettings.NONE : taint;
    this.decider = Objects.requireNonNull(decider, "decider");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.approvals = Objects.requireNonNull(approvals, "approvals");
    this.maskPlanner = Objects.requireNonNull(maskPlanner, "maskPlanner");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /** This desk with another observer, sharing everything else. */
  public AdmissionDesk observedBy(AdmissionObserver other) {
    return new AdmissionDesk(decider, audit, approvals, maskPlanner, executor, other, taint);
  }

  /** This desk applying the policy's {@code taint} switch as {@code settings} gives it. */
  public AdmissionDesk tainting(
      java.util.function.Supplier<dev.gatehouse.engine.policy.TaintSettings> settings) {
    return new AdmissionDesk(decider, audit, approvals, maskPlanner, executor, observer, settings);
  }

  /** Decides {@code request}; a denial is on record when this returns. */
  public Admission admit(StatementRequest request) {
    long started = System.nanoTime();
    Verdict verdict;
    try {
      verdict =
          decider.decide(
              request.principal(), request.context(), request.session(), request.message());
    } catch (RuntimeException e) {
      if (dev.gatehouse.engine.sql.CachedOnly.isMiss(e)) {
        throw e; // Gate.admitCached: nothing decided; admitted on a worker instead
      }
      // Nothing was decided, so there is nothing to record; the caller gets XX000, not 42501.
      log.error("deciding failed for {}", request.principal().label(), e);
      return new Refused(null, new Refusal.Internal("deciding on the statement"), null);
    }
    verdict = ChannelLimits.apply(request.context().channel(), verdict);
    verdict = TaintGuard.apply(taint.get(), request, verdict);
    observer.decided(request.context(), verdict.decision().effect(), System.nanoTime() - started);
    return switch (verdict.decision().effect()) {
      case ALLOW ->
          // A caller resuming an approval of a write held by its row bound (MCP `approval_id`):
          // the approval, used once, lifts the bound for this one run; without it the bound holds.
          request.resume() != null && RowBound.applies(verdict)
              ? new AwaitingApproval(this, request, RowBound.resumed(verdict))
              : new Admitted(this, request, verdict, null);
      case REQUIRE_APPROVAL -> new AwaitingApproval(this, request, verdict);
      case DENY -> refuse(request, verdict, refusal(verdict), null);
    };
  }

  /**
   * The refusal of a denying verdict. A policy that could not be evaluated still denies (fail
   * closed), but that is the gateway failing, not a permission: XX000, never 42501.
   */
  static Refusal refusal(Verdict verdict) {
    if (verdict.decision().ruleIds().contains(RulePolicyEvaluator.EVALUATION_ERROR)) {
      return new Refusal.Internal("evaluating the policy");
    }
    return new Refusal.Denied(verdict.decision(), deniedState(verdict));
  }

  /** 42501, or PostgreSQL's own code when the analyser refused the message for its size. */
  static SqlState deniedState(Verdict verdict) {
    AnalysisLimit exceeded = verdict.analysis() == null ? null : verdict.analysis().exceeded();
    if (exceeded == null) {
      return SqlState.INSUFFICIENT_PRIVILEGE;
    }
    return exceeded.kind().sqlState().equals(SqlState.STATEMENT_TOO_COMPLEX.code())
        ? SqlState.STATEMENT_TOO_COMPLEX
        : SqlState.PROGRAM_LIMIT_EXCEEDED;
  }

  Run start(StatementRequest request, Verdict verdict, List<String> params, Admitted admitted) {
    StatementAudit record = audit.statement(event(request, verdict, params, admitted.approvalId()));
    observer.recordOpened(record.durable());
    String database = request.context().database();
    boolean schemaChange =
        verdict.analysis() != null
            && verdict.analysis().statements().stream()
                .anyMatch(s -> s.statementClass() == dev.gatehouse.engine.sql.StatementClass.DDL);
    // A failed statement that used untrusted text in any clause may quote it in its error.
    String quotable = TaintGuard.untrustedUse(taint.get(), request, verdict);
    java.util.function.Consumer<Completion> taintOnError =
        quotable == null
            ? null
            : c -> {
              if (TaintGuard.mayQuoteData(c.sqlState())) {
                request.taint().mark(quotable);
              }
            };
    // After DDL the catalog's views and relations may be other ones: what masking and the view
    // writes read of it is read again (red-team round 7: a view written right after it was created
    // was still "no relation" in the cache, so the rules on its table did not apply).
    return new Run(
        record,
        admitted.plainRead(),
        observer,
        schemaChange ? () -> maskPlanner.catalogChanged(database) : null,
        taintOnError);
  }

  /** The masking of a result shaped like {@code columns} under {@code verdict}. */
  public MaskPlan maskPlan(Verdict verdict, List<ResultColumn> columns, String database) {
    return maskPlan(verdict, columns, database, -1);
  }

  /**
   * The masking of the result of statement {@code statement} of the message (red-team R19: planned
   * with the lineage of every statement, a message of several over-masked each result). A statement
   * the analysis does not know to return rows, or an index out of range, gets the whole message's
   * lineage (fail closed).
   */
  public MaskPlan maskPlan(
      Verdict verdict, List<ResultColumn> columns, String database, int statement) {
    var masking = verdict.decision().obligations().masking();
    if (masking.isEmpty()) {
      return MaskPlan.NONE;
    }
    Object generation = maskPlanner.catalogGeneration(database);
    List<Object> key = generation == null ? null : planKey(verdict, columns, database, statement);
    if (key != null) {
      KeptPlan k = plans.get(key);
      if (k != null && k.generation() == generation) {
        MaskPlan again = k.plan().again();
        if (again != null) {
          return again;
        }
      }
    }
    MaskPlan plan = planAfresh(verdict, columns, database, statement);
    if (key != null && maskPlanner.catalogGeneration(database) == generation) {
      plans.put(key, new KeptPlan(generation, plan));
    }
    return plan;
  }

  /**
   * What a mask plan is made of, by identity where the objects are kept: the masking policy (a
   * decision's, kept with its verdict), each statement's output columns (the analysis's, kept with
   * it), the result's columns as the server described them, the database and which statement.
   * Objects made afresh for each message never meet again, and only cost a miss.
   */
  private static List<Object> planKey(
      Verdict verdict, List<ResultColumn> columns, String database, int statement) {
    List<StatementInfo> statements = verdict.analysis().statements();
    List<Object> key = new ArrayList<>(4 + statements.size());
    key.add(new Same(verdict.decision().obligations().masking()));
    key.add(database);
    key.add(statement);
    key.add(List.copyOf(columns));
    for (StatementInfo s : statements) {
      key.add(new Same(s.outputColumns()));
    }
    return key;
  }

  private MaskPlan planAfresh(
      Verdict verdict, List<ResultColumn> columns, String database, int statement) {
    var masking = verdict.decision().obligations().masking();
    var analysis = verdict.analysis();
    if (analysis.statements().size() > 1
        && statement >= 0
        && statement < analysis.statements().size()
        && !analysis.statements().get(statement).outputColumns().isEmpty()) {
      analysis =
          dev.gatehouse.engine.masking.CatalogMaskPlanner.statementAnalysis(analysis, statement);
    }
    return maskPlanner.plan(masking, analysis, columns, database);
  }

  /** Records the refusal of a statement that did not run, and returns it. */
  Refused refuse(StatementRequest request, Verdict verdict, Refusal refusal, UUID approvalId) {
    UUID auditId = null;
    try {
      StatementAudit record =
          audit.statement(event(request, verdict, request.knownParams(), approvalId));
      record.complete(
          new StatementOutcome(
              0,
              Duration.ZERO,
              List.of(),
              refusal.sqlState().code(),
              RefusalText.audit(refusal),
              List.of()));
      auditId = record.id();
    } catch (RuntimeException e) {
      // The statement is refused either way; a refusal that cannot be recorded still refuses.
      log.warn("could not record a refusal for {}", request.principal().label(), e);
    }
    return new Refused(verdict, refusal, auditId);
  }

  /**
   * Like {@link #refuse}, but a statement held for approval {@code approvalId} is recorded once
   * however often its caller asks again (an MCP retry with the same {@code approval_id}).
   */
  Refused refuseOnce(StatementRequest request, Verdict verdict, Refusal refusal, UUID approvalId) {
    if (approvalId != null && refusedApprovals.putIfAbsent(approvalId, Boolean.TRUE) != null) {
      return new Refused(verdict, refusal, null);
    }
    return refuse(request, verdict, refusal, approvalId);
  }

  private static StatementEvent event(
      StatementRequest request, Verdict verdict, List<String> params, UUID approvalId) {
    return new StatementEvent(
        request.principal(),
        request.context(),
        request.connectionId(),
        verdict.analysis().sql(),
        params,
        verdict.analysis(),
        verdict.decision(),
        approvalId);
  }

  ApprovalService approvals() {
    return approvals;
  }

  /**
   * The status of {@code id} for its requester, waiting up to {@code wait} while it is pending;
   * reading it uses nothing. Empty for an unknown id and for someone else's (which read the same).
   */
  public CompletableFuture<Optional<ApprovalStatus>> approvalStatus(
      Principal requester, UUID id, Duration wait) {
    return CompletableFuture.supplyAsync(() -> approvals.find(id), executor)
        .thenCompose(
            found -> {
              if (found.isEmpty()
                  || !requester.is(found.get().requesterIssuer(), found.get().requesterSubject())) {
                return CompletableFuture.completedFuture(Optional.<ApprovalStatus>empty());
              }
              if (found.get().state() != ApprovalState.PENDING || wait.isZero()) {
                return CompletableFuture.completedFuture(Optional.of(status(found.get())));
              }
              return approvals.awaitDecision(id, wait).thenApply(r -> Optional.of(status(r)));
            });
  }

  private static ApprovalStatus status(ApprovalRequest r) {
    return new ApprovalStatus(
        r.id(),
        r.state().name().toLowerCase(java.util.Locale.ROOT),
        r.sql(),
        r.expiresAt(),
        r.decidedBy(),
        r.decidedAt(),
        r.decisionReason());
  }

  Executor executor() {
    return executor;
  }

  AuditTrail audit() {
    return audit;
  }

  AdmissionObserver observer() {
    return observer;
  }

  /**
   * Records a catalog read ({@code describe}): one record for the caller, naming the objects
   * disclosed, under the decision that let the caller read them (a denial is recorded as refused,
   * 42501). Returns its run, already complete.
   */
  public Run catalogRead(
      Principal principal,
      RequestContext context,
      String connectionId,
      dev.gatehouse.engine.policy.Decision allowedBy,
      List<dev.gatehouse.engine.sql.model.TableRef> disclosed) {
    String sql = CatalogReads.text(disclosed);
    Verdict verdict =
        new Verdict(
            CatalogReads.analysis(sql, disclosed),
            CatalogReads.decision(allowedBy, disclosed.size()));
    StatementAudit record =
        audit.statement(
            new StatementEvent(
                principal,
                context,
                connectionId,
                sql,
                List.of(),
                verdict.analysis(),
                verdict.decision(),
                null));
    observer.recordOpened(record.durable());
    Run run = new Run(record, false, observer);
    if (allowedBy.effect() == dev.gatehouse.engine.policy.Effect.ALLOW) {
      run.complete(Completion.ran(disclosed.size(), Duration.ZERO, List.of()));
    } else {
      Refusal refusal = refusal(new Verdict(verdict.analysis(), allowedBy));
      run.complete(
          Completion.failed(
              0, Duration.ZERO, List.of(), refusal.sqlState().code(), RefusalText.audit(refusal)));
    }
    return run;
  }
}
