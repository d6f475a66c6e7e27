package dev.gatehouse.engine.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every notifier does when its backend works: one delivery per event, naming the request. */
abstract class ApprovalNotifierContract {

  /** The notifier under test, with a working backend. */
  abstract ApprovalNotifier notifier();

  /** What the backend received, one entry per delivery, in order. */
  abstract List<String> delivered();

  static ApprovalRequest request(ApprovalState state, String decidedBy) {
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    return new ApprovalRequest(
        UUID.fromString("6f1c7b5e-0000-4000-8000-000000000001"),
        state,
        "https://issuer",
        "analyst",
        Map.of("kind", "person"),
        "shop",
        "DROP TABLE app.t",
        List.of(),
        List.of("ddl"),
        "DDL needs approval",
        created,
        created.plusSeconds(900),
        decidedBy,
        decidedBy == null ? null : created.plusSeconds(60),
        null);
  }

  @Test
  void deliversEveryEventNamingTheRequest() {
    ApprovalNotifier n = notifier();
    n.created(request(ApprovalState.PENDING, null));
    n.decided(request(ApprovalState.APPROVED, "dba (https://issuer)"));
    n.expired(request(ApprovalState.EXPIRED, null));
    assertThat(delivered())
        .hasSize(3)
        .allSatisfy(d -> assertThat(d).contains("6f1c7b5e-0000-4000-8000-000000000001"));
    assertThat(delivered().get(1)).contains("dba");
  }
}
