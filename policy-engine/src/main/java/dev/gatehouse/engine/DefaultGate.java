package dev.gatehouse.engine;

import dev.gatehouse.engine.admission.Admission;
import dev.gatehouse.engine.admission.AdmissionDesk;
import dev.gatehouse.engine.admission.AdmissionObserver;
import dev.gatehouse.engine.admission.Run;
import dev.gatehouse.engine.admission.StatementRequest;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.audit.AuthEvent;
import dev.gatehouse.engine.audit.ConnectionEvent;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.identity.TokenVerifier;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.MaskPlanner;
import dev.gatehouse.engine.masking.MaskedDataUse;
import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.PolicyEvaluator;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.AnalysisLimit;
import dev.gatehouse.engine.sql.CachedOnly;
import dev.gatehouse.engine.sql.SqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.TableRef;
import dev.gatehouse.engine.upstream.UpstreamDirectory;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Gate} both front ends use: it composes the engine's parts and adds nothing of its own
 * but the checks that span them.
 */
public final class DefaultGate implements Gate {

  /** Rule id of a denial because evaluation itself failed. */
  public static final String EVALUATION_ERROR = "evaluation-error";

  private static final Logger log = LoggerFactory.getLogger(DefaultGate.class);

  /**
   * Where approval steps that wait on the control database run: virtual threads, so a thousand
   * waiting statements cost no platform threads, and never a front end's event loop.
   */
  private static final Executor APPROVAL_STEPS = Executors.newVirtualThreadPerTaskExecutor();

  // Allow verdicts kept by fingerprint, principal and database (VerdictMemo).
  private static final int VERDICTS_KEPT = 4_096;

  private final TokenVerifier verifier;
  private final SqlAnalyzer analyzer;
  private final PolicyEvaluator evaluator;
  private final MaskPlanner maskPlanner;
  private final AuditTrail audit;
  private final ApprovalService approvals;
  private final UpstreamDirectory upstreams;
  private final Clock clock;
  private final AdmissionObserver observer;
  private final AdmissionDesk desk;
  private final VerdictMemo memo;

  public DefaultGate(
      TokenVerifier verifier,
      SqlAnalyzer analyzer,
      PolicyEvaluator evaluator,
      MaskPlanner maskPlanner,
      AuditTrail audit,
      ApprovalService approvals,
      UpstreamDirectory upstreams,
      Clock clock) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    this.maskPlanner = Objects.requireNonNull(maskPlanner, "maskPlanner");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.approvals = Objects.requireNonNull(approvals, "approvals");
    this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.observer = AdmissionObserver.NONE;
    this.memo = new VerdictMemo(VERDICTS_KEPT);
    this.desk =
        new AdmissionDesk(
                this::decide, audit, approvals, maskPlanner, APPROVAL_STEPS, AdmissionObserver.NONE)
            .tainting(evaluator::taint);
  }

  private DefaultGate(DefaultGate base, AdmissionObserver observer) {
    this.verifier = base.verifier;
    this.analyzer = base.analyzer;
    this.evaluator = base.evaluator;
    this.maskPlanner = base.maskPlanner;
    this.audit = base.audit;
    this.approvals = base.approvals;
    this.upstreams = base.upstreams;
    this.clock = base.clock;
    this.observer = Objects.requireNonNull(observer, "observer");
    this.memo = base.memo;
    this.desk = base.desk.observedBy(observer);
  }

  @Override
  public Principal authenticate(String token, RequestContext context)
      throws AuthenticationException {
    try {
      Principal principal = verifier.verify(token);
      if (context.channel() == Channel.WIRE && !upstreams.serves(context.database())) {
        // As PostgreSQL refuses at connect a database it does not have: nothing could ever be
        // allowed in such a session, and a session that refuses every statement misleads.
        String why = "database `" + context.database() + "` does not exist at this gateway";
        observer.authenticationFailed(context);
        audit.authentication(
            authEvent(
                context,
                principal.issuer(),
                principal.subject(),
                AuthenticationException.Reason.UNKNOWN_DATABASE + ": " + why));
        throw new AuthenticationException(
            AuthenticationException.Reason.UNKNOWN_DATABASE,
            why + "; connect to a database the policy grants you access to");
      }
      audit.authentication(authEvent(context, principal.issuer(), principal.subject(), null));
      return principal;
    } catch (AuthenticationException e) {
      observer.authenticationFailed(context);
      audit.authentication(authEvent(context, null, null, e.reason() + ": " + e.getMessage()));
      throw e;
    }
  }

  private AuthEvent authEvent(RequestContext c, String issuer, String subject, String failure) {
    return new AuthEvent(
        clock.instant(),
        c.channel(),
        c.database(),
        c.clientApplication(),
        c.clientAddress(),
        issuer,
        subject,
        failure);
  }

  @Override
  public Verdict decide(
      Principal principal, RequestContext context, AnalysisContext sql, String message) {
    // A principal the policy grants nothing is refused without parsing what it sent: its
    // statements cost the analyser nothing, however hostile (the evaluator proves it equal).
    Object policy = evaluator.generation();
    if (!memo.mustAnalyse(principal, context, policy)) {
      Decision early = evaluator.decideWithoutAnalysis(principal, context);
      if (early != null) {
        return new Verdict(analyzer.outline(message), early);
      }
      if (policy == evaluator.generation()) {
        memo.analysing(principal, context.database(), policy);
      }
    }
    Analysis analysis =
        analyzer.analyze(message, sql, principal.issuer() + " " + principal.subject());
    if (analysis.exceeded() != null) {
      // Past the analyser's bounds nothing can be known about it: refused whatever the policy says.
      return new Verdict(analysis, deny(AnalysisLimit.RULE_ID, analysis.exceeded().explanation()));
    }
    if (!analyzer.reusable(analysis, sql)) {
      return decide(principal, context, analysis).verdict();
    }
    VerdictMemo.Key key =
        VerdictMemo.key(principal, context.channel(), context.database(), sql, analysis);
    Object catalog = maskPlanner.catalogGeneration(context.database());
    Verdict kept = memo.find(key, policy, catalog, analysis);
    if (kept != null) {
      return kept;
    }
    Decided decided = decide(principal, context, analysis);
    // Kept only if neither the policy nor the catalog snapshot changed while it was decided.
    if (decided.sure()
        && policy == evaluator.generation()
        && catalog == maskPlanner.catalogGeneration(context.database())) {
      memo.keep(key, policy, catalog, decided.verdict());
    }
    return decided.verdict();
  }

  /**
   * A verdict, and whether it is the one the same inputs always get ({@code sure}): not when the
   * catalog could not be read and the statement ran without its lineage resolved.
   */
  private record Decided(Verdict verdict, boolean sure) {
    Decided(Analysis analysis, Decision decision) {
      this(new Verdict(analysis, decision), true);
    }
  }

  /** The verdict on an analysed message within the analyser's bounds. */
  private Decided decide(Principal principal, RequestContext context, Analysis analysis) {
    if (analysis.statements().stream().anyMatch(s -> !s.tablesWritten().isEmpty())) {
      try {
        analysis = maskPlanner.writesThroughViews(analysis, context.database());
      } catch (RuntimeException e) {
        if (CachedOnly.isMiss(e)) {
          throw e; // admitted on a worker instead, where the catalog may be read
        }
        // Not a permission: the gateway could not judge the statement (XX000), as for an error in
        // evaluation. The upstream being down is the usual cause, and then nothing could run.
        log.warn("catalog of `{}` unreadable; refusing a write", context.database(), e);
        return new Decided(
            analysis,
            deny(
                EVALUATION_ERROR,
                "the database catalog could not be read, so whether the relations this statement"
                    + " writes are views over other tables (which the policy's rules name) cannot"
                    + " be decided. Nothing was run. Try again later"));
      }
    }
    Decision decision;
    try {
      decision = evaluator.evaluate(principal, analysis, context);
    } catch (RuntimeException e) {
      if (CachedOnly.isMiss(e)) {
        throw e;
      }
      // An error in evaluation denies: never a silent allow.
      log.error("policy evaluation failed for {}; denying", principal.label(), e);
      decision = deny(EVALUATION_ERROR, "the policy could not be evaluated; nothing ran");
    }
    return throughCatalog(analysis, decision, context.database());
  }

  /**
   * The evaluator has no catalog, so it cannot see that a view's column is a masked base column
   * under another name ({@code CREATE VIEW v AS SELECT ssn AS x ...}, then {@code WHERE x > ...}).
   * For a statement that may run with masking, the checks on masked data are made again on lineage
   * resolved through the catalog, and the verdict carries that lineage so that error redaction sees
   * the base columns too. If the catalog cannot be read, a statement that uses column values
   * outside its select list is refused (its uses cannot be judged); one that only selects runs, and
   * the mask planner redacts every column of its result.
   */
  private Decided throughCatalog(Analysis analysis, Decision decision, String database) {
    MaskingPolicy masking = decision.obligations().masking();
    if (decision.effect() == Effect.DENY || masking == null || masking.isEmpty()) {
      return new Decided(analysis, decision);
    }
    Analysis resolved;
    dev.gatehouse.engine.sql.model.ColumnRef attribute;
    try {
      resolved = maskPlanner.throughCatalog(analysis, database);
      attribute = maskPlanner.unknownAttribute(analysis, database);
    } catch (RuntimeException e) {
      if (CachedOnly.isMiss(e)) {
        throw e; // admitted on a worker instead, where the catalog may be read
      }
      if (analysis.statements().stream().allMatch(s -> s.uses().isEmpty())) {
        return new Decided(new Verdict(analysis, decision), false);
      }
      log.warn("catalog of `{}` unreadable; refusing a statement with uses", database, e);
      return new Decided(
          analysis,
          deny(
              decision,
              MaskedDataUse.INFERENCE,
              "denied by `"
                  + MaskedDataUse.INFERENCE
                  + "`: the database catalog could not be read, so which masked columns the"
                  + " statement filters, joins, sorts or writes on (through views) cannot be"
                  + " decided, and masking applies to you. Nothing was run. Try again later"));
    }
    if (attribute != null) {
      return new Decided(
          analysis,
          deny(
              decision,
              "opaque-function",
              "denied by `opaque-function`: `"
                  + attribute.column()
                  + "` is not a column of `"
                  + attribute.table().qualified()
                  + "`, so PostgreSQL would call a function of that name on the whole row, which"
                  + " Gatehouse cannot see into, and masking applies to you. Nothing was run. Name"
                  + " the table's columns instead"));
    }
    if (resolved == analysis) {
      return new Decided(analysis, decision);
    }
    MaskedDataUse.Refusal refusal = MaskedDataUse.check(resolved, masking);
    if (refusal != null) {
      return new Decided(resolved, deny(decision, refusal.ruleId(), refusal.explanation()));
    }
    return new Decided(resolved, decision);
  }

  private static Decision deny(Decision by, String rule, String explanation) {
    return new Decision(
        Effect.DENY, List.of(rule), explanation, Obligations.NONE, by.policyRevision());
  }

  private static Decision deny(String rule, String explanation) {
    return new Decision(Effect.DENY, List.of(rule), explanation, Obligations.NONE, null);
  }

  @Override
  public Admission admit(StatementRequest request) {
    return desk.admit(request);
  }

  @Override
  public Admission admitCached(StatementRequest request) {
    try {
      return CachedOnly.call(() -> desk.admit(request));
    } catch (CachedOnly.Miss e) {
      return null; // nothing was decided or recorded: the caller admits it on a worker
    }
  }

  @Override
  public java.util.concurrent.CompletableFuture<
          java.util.Optional<dev.gatehouse.engine.admission.ApprovalStatus>>
      approvalStatus(Principal requester, java.util.UUID id, java.time.Duration wait) {
    return desk.approvalStatus(requester, id, wait);
  }

  @Override
  public void authenticationRefused(RequestContext context, String reason) {
    observer.authenticationFailed(context);
    audit.authentication(authEvent(context, null, null, reason));
  }

  @Override
  public void connection(
      String connectionId, Principal principal, RequestContext context, boolean opened) {
    audit.connection(
        new ConnectionEvent(clock.instant(), opened, connectionId, principal, context));
  }

  @Override
  public void connectionEnded(
      String connectionId, Principal principal, RequestContext context, String why) {
    audit.connection(
        new ConnectionEvent(clock.instant(), false, connectionId, principal, context, why));
  }

  @Override
  public Run catalogRead(
      Principal principal,
      RequestContext context,
      String connectionId,
      Verdict allowedBy,
      List<TableRef> disclosed) {
    return desk.catalogRead(principal, context, connectionId, allowedBy.decision(), disclosed);
  }

  @Override
  public MaskPlan maskPlan(Verdict verdict, List<ResultColumn> columns, String database) {
    return desk.maskPlan(verdict, columns, database);
  }

  @Override
  public UpstreamTarget upstream(String database, String upstreamRole) {
    return upstreams.upstream(database, upstreamRole);
  }

  /** Verdicts served from and missed in the memo so far, for tests. */
  long[] verdictsKept() {
    return memo.stats();
  }

  /**
   * This gate with {@code observer} told of every decision, record and completion (metrics),
   * sharing everything else.
   */
  public DefaultGate observedBy(AdmissionObserver observer) {
    return new DefaultGate(this, observer);
  }
}
