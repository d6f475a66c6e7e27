package dev.gatehouse.engine;

import dev.gatehouse.engine.admission.Admission;
import dev.gatehouse.engine.admission.ApprovalStatus;
import dev.gatehouse.engine.admission.Run;
import dev.gatehouse.engine.admission.StatementRequest;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.TableRef;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The one path every statement takes, whichever front end it came through: identity, then {@link
 * #admit admission} (decision, recording, approval, durability, masking). Front ends call only
 * this, and only translate between their protocol and it (ADR 0009).
 */
public interface Gate {

  /** Verifies a bearer token and records the attempt, successful or not. */
  Principal authenticate(String token, RequestContext context) throws AuthenticationException;

  /** Records an attempt that carried no token at all ({@code reason} is fixed text). */
  void authenticationRefused(RequestContext context, String reason);

  /** Records a wire connection or MCP session opening or closing. */
  void connection(String connectionId, Principal principal, RequestContext context, boolean opened);

  /**
   * Records a wire connection or MCP session closing, saying why it ended ({@code idle}, {@code
   * client}, ...: a short fixed word).
   */
  default void connectionEnded(
      String connectionId, Principal principal, RequestContext context, String why) {
    connection(connectionId, principal, context, false);
  }

  /** Admits a statement: it runs, waits for approval, or is refused (and recorded). */
  Admission admit(StatementRequest request);

  /**
   * Admits a statement as {@link #admit} does, if that needs neither a parse nor a read of the
   * database (its analysis and the catalog it needs are cached): then on the caller's thread, an
   * event loop. Null otherwise, with nothing decided or recorded: admit it with {@link #admit}.
   */
  default Admission admitCached(StatementRequest request) {
    return null;
  }

  /**
   * Analyses and decides without recording anything: for probes (which tools to list, the upstream
   * role of a new connection) and for {@code describe}'s per-relation checks.
   */
  Verdict decide(Principal principal, RequestContext context, AnalysisContext sql, String message);

  /**
   * The masking of a result shaped like {@code columns} under {@code verdict}, recording nothing.
   */
  MaskPlan maskPlan(Verdict verdict, List<ResultColumn> columns, String database);

  /**
   * Records a catalog read ({@code describe}) for the caller with the relations it disclosed, under
   * {@code rules}; its results are returned once the run's record is durable.
   */
  Run catalogRead(
      Principal principal,
      RequestContext context,
      String connectionId,
      Verdict allowedBy,
      List<TableRef> disclosed);

  /**
   * The status of the caller's approval request {@code id}, waiting up to {@code wait} while it is
   * pending; empty for an unknown id or someone else's. Gates without approvals fail.
   */
  default CompletableFuture<Optional<ApprovalStatus>> approvalStatus(
      Principal requester, UUID id, Duration wait) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("this gate has no approvals"));
  }

  /** Where to connect for {@code database} as the decision's upstream role. */
  UpstreamTarget upstream(String database, String upstreamRole);
}
