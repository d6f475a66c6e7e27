package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL plans a statement at Bind, so an error of the statement itself may come there. Its
 * Execute, which the server then skips, is recorded with that error's SQLSTATE, not as skipped for
 * an earlier message (red-team round 24: {@code SELECT 1/0} by the extended protocol was on record
 * as "not run: an earlier message in the pipeline failed", its 22012 nowhere). A statement skipped
 * because another portal's Bind failed still says so.
 */
class BindErrorOutcomeIT {

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = new ProxyFixture();
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  private static RawClient analyst() throws Exception {
    return proxy.raw(ReferencePrincipal.ANALYST);
  }

  private static String state(List<BackendMessage> answers) {
    return answers.stream()
        .filter(m -> m instanceof ErrorResponse)
        .map(m -> ((ErrorResponse) m).sqlState())
        .findFirst()
        .orElse(null);
  }

  @Test
  void anErrorAtBindIsTheSkippedExecutesOutcome() throws Exception {
    try (RawClient raw = analyst()) {
      String sql = "SELECT 1/0 AS bind_error_outcome";
      raw.send(
          new Parse("", sql, List.of()),
          new Bind("", "", List.of(), List.of(), List.of()),
          new Execute("", 0),
          new Sync());
      assertThat(state(raw.until('Z'))).isEqualTo("22012");

      var outcome = proxy.gate.audit().last(sql).outcome().get();
      assertThat(outcome.sqlState()).isEqualTo("22012");
      assertThat(outcome.error()).contains("its Bind failed").doesNotContain("earlier message");
    }
  }
}
