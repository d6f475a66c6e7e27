package dev.gatehouse.engine.admission;

import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.PlainRead;
import java.util.List;
import java.util.UUID;

/**
 * The statement may run, under its obligations (upstream role, read-only, row limit, timeout) and
 * the mask plans {@link #maskPlan} gives. Each run starts with {@link #start}, which opens its
 * decision record; the extended protocol starts one run per Execute.
 */
public final class Admitted implements Admission {

  private final AdmissionDesk desk;
  private final StatementRequest request;
  private final Verdict verdict;
  private final UUID approvalId;
  private final boolean plainRead;

  Admitted(AdmissionDesk desk, StatementRequest request, Verdict verdict, UUID approvalId) {
    this.desk = desk;
    this.request = request;
    this.verdict = verdict;
    this.approvalId = approvalId;
    // Computed once per message: every Execute of a prepared statement reuses it.
    this.plainRead = approvalId == null && PlainRead.test(verdict.analysis());
  }

  @Override
  public Verdict verdict() {
    return verdict;
  }

  public Obligations obligations() {
    return verdict.decision().obligations();
  }

  /** The approval this statement runs under, or null. */
  public UUID approvalId() {
    return approvalId;
  }

  /** A plain read not run on an approval: it cannot change the session or the data. */
  public boolean plainRead() {
    return plainRead;
  }

  /**
   * Opens the decision record of one run with {@code params} (null: those of the request).
   *
   * @throws RuntimeException when the record cannot even be queued (the audit trail is down)
   */
  public Run start(List<String> params) {
    return desk.start(request, verdict, params == null ? request.knownParams() : params, this);
  }

  /**
   * Refuses one run of this statement, with {@code params} (null: those of the request), after
   * admission let it through (a quota of the front end said no): nothing ran, and the refusal is
   * recorded like a denial's.
   */
  public Refused refuse(Refusal refusal, List<String> params) {
    StatementRequest r = request;
    return desk.refuse(
        new StatementRequest(
            r.principal(),
            r.context(),
            r.connectionId(),
            r.session(),
            r.message(),
            params == null ? r.knownParams() : params,
            r.resume(),
            r.taint()),
        verdict,
        refusal,
        approvalId);
  }

  /**
   * Escalates this admitted statement to a human: one execution with {@code params} ran past what
   * it was admitted for (a write over its {@code maxRowsAffected} bound, or one whose rows cannot
   * be counted) and was undone. {@code held} is the decision that says why, shown to the approvers;
   * it must require approval and judge the same statement. Approved, it runs once with these
   * parameters.
   *
   * @throws IllegalArgumentException when {@code held} does not require approval of this statement
   */
  public AwaitingApproval escalate(Verdict held, List<String> params) {
    if (held.decision().effect() != dev.gatehouse.engine.policy.Effect.REQUIRE_APPROVAL
        || !held.analysis().sql().equals(verdict.analysis().sql())) {
      throw new IllegalArgumentException(
          "an escalation must require approval of the same statement");
    }
    StatementRequest r = request;
    return new AwaitingApproval(
        desk,
        new StatementRequest(
            r.principal(),
            r.context(),
            r.connectionId(),
            r.session(),
            r.message(),
            params == null ? r.knownParams() : params,
            null),
        held);
  }

  /** The masking of one result set of this statement. */
  public MaskPlan maskPlan(List<ResultColumn> columns) {
    return maskPlan(columns, -1);
  }

  /** The masking of the result set of statement {@code statement} of a message of several. */
  public MaskPlan maskPlan(List<ResultColumn> columns, int statement) {
    return desk.maskPlan(verdict, columns, request.context().database(), statement);
  }
}
