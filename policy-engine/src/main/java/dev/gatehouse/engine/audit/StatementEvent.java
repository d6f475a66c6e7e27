package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.sql.Analysis;
import java.util.List;
import java.util.UUID;

/**
 * A statement as it was decided.
 *
 * @param params bind parameters as text (stored clear, hashed or omitted per configuration)
 * @param approvalId the approval that let it run, or null
 */
public record StatementEvent(
    Principal principal,
    RequestContext context,
    String connectionId,
    String sql,
    List<String> params,
    Analysis analysis,
    Decision decision,
    UUID approvalId) {}
