package dev.gatehouse.engine.admission;

import dev.gatehouse.engine.policy.Verdict;
import java.util.UUID;

/**
 * The statement does not run. It is on record already (unless it was recorded once before for the
 * same approval, or the gateway failed before deciding).
 *
 * @param verdict the decision it was refused under, or null for an internal failure before deciding
 * @param auditId the id of its statement record, or null when this refusal wrote none
 */
public record Refused(Verdict verdict, Refusal refusal, UUID auditId) implements Admission {

  public SqlState sqlState() {
    return refusal.sqlState();
  }

  /** The message for a SQL client. */
  public String clientMessage() {
    return RefusalText.client(refusal);
  }

  /** The message for an MCP tool result. */
  public String toolMessage() {
    return RefusalText.tool(refusal);
  }
}
