package dev.gatehouse.gateway.console;

import dev.gatehouse.engine.identity.Principal;

/**
 * Who is looking, and what the policy lets them do here.
 *
 * @param approver named by the policy's default approvers or by any rule's approvers
 * @param auditor one of the policy's default approvers: the same test the admin API applies to
 *     {@code /admin/audit}
 * @param cleared exempt from every masking rule: sees the literals of statement records; others see
 *     them withheld ({@code LiteralsWithheld})
 */
record Viewer(Sessions.Session session, boolean approver, boolean auditor, boolean cleared) {

  Principal principal() {
    return session.principal();
  }

  /** True when {@code issuer}/{@code subject} is the viewer. */
  boolean is(String issuer, String subject) {
    return principal().is(issuer, subject);
  }
}
