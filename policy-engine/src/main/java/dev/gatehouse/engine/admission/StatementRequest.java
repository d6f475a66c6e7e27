package dev.gatehouse.engine.admission;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a front end knows about a statement when it asks to run it.
 *
 * @param connectionId the wire connection or MCP session the statement came through
 * @param session the session's settings that change what names mean (search_path)
 * @param message the SQL as the client sent it (all its statements, judged as a whole)
 * @param params the parameters as text, or null when they are not known yet (the wire's Parse)
 * @param resume the approval the caller resumes (MCP {@code approval_id}), or null
 * @param taint what the session has read that the policy distrusts, or null when not tracked
 */
public record StatementRequest(
    Principal principal,
    RequestContext context,
    String connectionId,
    AnalysisContext session,
    String message,
    List<String> params,
    UUID resume,
    SessionTaint taint) {

  public StatementRequest {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(message, "message");
    session = session == null ? AnalysisContext.DEFAULT : session;
    params = params == null ? null : java.util.Collections.unmodifiableList(params);
  }

  /** A request whose session's reads are not tracked. */
  public StatementRequest(
      Principal principal,
      RequestContext context,
      String connectionId,
      AnalysisContext session,
      String message,
      List<String> params,
      UUID resume) {
    this(principal, context, connectionId, session, message, params, resume, null);
  }

  /** The parameters, or none when they are not known. */
  List<String> knownParams() {
    return params == null ? List.of() : params;
  }
}
