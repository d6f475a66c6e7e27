package dev.gatehouse.engine.approval;

import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.ParamMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How an approval request keeps and shows its parameters: as the audit trail keeps them. In clear
 * mode the approver sees the values; otherwise (hashed, or omitted from the trail) each value is
 * its keyed hash ({@code hmac:<hex>}, the audit records' own hash, so an auditor can match the two)
 * and the request is bound to those hashes: the control database holds no clear value, and a
 * different value still fails to match.
 */
public record ApprovalParams(ParamMode mode, AuditKey key) {

  /** The prefix of a parameter shown as its keyed hash. */
  public static final String HASHED = "hmac:";

  /** What every surface says next to hashed parameters. */
  public static final String NOTE =
      "shown as keyed hashes (the audit's parameter mode); the approval is bound to exactly these"
          + " values";

  /** Parameters in clear (tests, and operators who keep them in clear in the audit trail). */
  public static final ApprovalParams CLEAR = new ApprovalParams(ParamMode.CLEAR, null);

  public ApprovalParams {
    Objects.requireNonNull(mode, "mode");
    if (mode != ParamMode.CLEAR) {
      Objects.requireNonNull(key, "key");
    }
  }

  /** The parameters as an approval keeps them (a SQL NULL stays null: it is not a secret). */
  public List<String> kept(List<String> params) {
    List<String> out = new ArrayList<>(params == null ? List.of() : params);
    if (mode == ParamMode.CLEAR) {
      return out;
    }
    out.replaceAll(v -> v == null ? null : HASHED + key.hmacHex(v));
    return out;
  }

  /** The parameters as an approver is shown them ({@code NULL} for SQL NULL). */
  public List<String> shown(List<String> params) {
    return kept(params).stream().map(p -> p == null ? "NULL" : p).toList();
  }

  /** True when {@code shown} holds keyed hashes, so a surface adds {@link #NOTE}. */
  public static boolean hashed(List<String> shown) {
    return shown.stream().anyMatch(p -> p != null && p.startsWith(HASHED));
  }
}
