package dev.gatehouse.gateway.audit;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.policy.Policy;

/** What a reader of the audit trail may see of the statements of others. */
public final class AuditReaders {

  private AuditReaders() {}

  /**
   * True when {@code reader} is exempt from every masking rule and detector, and so may read the
   * literals of any statement record; everyone else reads them withheld, since a cleared user's
   * literal may be a value the reader's own queries would see masked.
   */
  public static boolean cleared(Policy policy, Principal reader) {
    return policy.masking() == null || policy.masking().forPrincipal(reader) == MaskingPolicy.NONE;
  }
}
