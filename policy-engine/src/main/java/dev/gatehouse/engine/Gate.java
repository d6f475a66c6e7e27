package dev.gatehouse.engine;

import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.audit.AuditTrail;
import dev.gatehouse.engine.audit.StatementAudit;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.sql.AnalysisContext;
import java.util.List;
import java.util.UUID;

/**
 * The one path every statement takes, whichever front end it came through: identity, analysis and
 * decision, audit, approval and masking. Front ends call only this.
 */
public interface Gate {

  /** Verifies a bearer token and records the attempt, successful or not. */
  Principal authenticate(String token, RequestContext context) throws AuthenticationException;

  /** Analyses and decides one message (all its statements, judged as a whole). */
  Verdict decide(Principal principal, RequestContext context, AnalysisContext sql, String message);

  /** Starts the audit record of a decided message; see {@link StatementAudit#durable()}. */
  StatementAudit record(
      Principal principal,
      RequestContext context,
      String connectionId,
      Verdict verdict,
      List<String> params,
      UUID approvalId);

  /** The masking of a result of an allowed message. */
  MaskPlan maskPlan(Verdict verdict, List<ResultColumn> columns, String database);

  /** Where to connect for {@code database} as the decision's upstream role. */
  UpstreamTarget upstream(String database, String upstreamRole);

  ApprovalService approvals();

  AuditTrail audit();
}
