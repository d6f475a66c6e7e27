package dev.gatehouse.wire.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.CloseComplete;
import dev.gatehouse.wire.protocol.backend.EmptyQueryResponse;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Close;
import dev.gatehouse.wire.protocol.frontend.Describe;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Flush;
import dev.gatehouse.wire.protocol.frontend.FunctionCall;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import dev.gatehouse.wire.protocol.frontend.Terminate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The session's message flow without a database: what the client is answered, in which order, and
 * when the session skips to Sync, for a principal every statement of whom is denied.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-flow.html">Message flow</a>
 */
class SessionStateMachineTest {

  private final SessionHarness h = new SessionHarness();

  private static void assertError(BackendMessage m, String sqlState) {
    assertThat(m).isInstanceOf(ErrorResponse.class);
    ErrorResponse e = (ErrorResponse) m;
    assertThat(e.sqlState()).isEqualTo(sqlState);
    assertThat(e.fields().get('S')).isEqualTo("ERROR");
  }

  @Test
  void aDeniedSimpleQueryIsAnErrorThenReadyForQueryAndTheSessionStaysUsable() {
    h.read(new Query("select * from app.orders"));
    List<BackendMessage> answers = h.received();
    assertThat(answers).hasSize(2);
    assertError(answers.get(0), "42501");
    assertThat(answers.get(1)).isEqualTo(new ReadyForQuery('I'));
    assertThat(h.audit.statements).hasSize(1);

    h.read(new Query("select 1"));
    assertThat(h.received()).hasSize(2).last().isEqualTo(new ReadyForQuery('I'));
    assertThat(h.client.isActive()).isTrue();
  }

  @Test
  void afterAnErrorTheExtendedProtocolSkipsToSync() {
    h.read(
        new Parse("", "select 1", List.of()),
        new Bind("", "", List.of(), List.of(), List.of()),
        new Describe('P', ""),
        new Execute("", 0),
        new Sync());
    List<BackendMessage> answers = h.received();
    // one error for the Parse; Bind, Describe and Execute are discarded, not answered
    assertThat(answers).hasSize(2);
    assertError(answers.get(0), "42501");
    assertThat(answers.get(1)).isEqualTo(new ReadyForQuery('I'));
    assertThat(h.audit.statements).hasSize(1);
  }

  @Test
  void syncEndsTheSkipAndTheNextCycleIsJudgedAgain() {
    h.read(new Parse("", "select 1", List.of()), new Execute("", 0), new Sync());
    h.received();
    h.read(new Parse("s2", "select 2", List.of()), new Sync());
    List<BackendMessage> answers = h.received();
    assertThat(answers).hasSize(2);
    assertError(answers.get(0), "42501");
    assertThat(answers.get(1)).isEqualTo(new ReadyForQuery('I'));
    assertThat(h.audit.statements).hasSize(2);
  }

  @Test
  void flushWhileSkippingDeliversTheErrorAndNoReadyForQueryUntilSync() {
    h.read(
        new Parse("", "select 1", List.of()),
        new Bind("", "", List.of(), List.of(), List.of()),
        new Flush());
    List<BackendMessage> answers = h.received();
    assertThat(answers).hasSize(1);
    assertError(answers.getFirst(), "42501");

    // still skipping: an Execute before the Sync is dropped, the Sync is answered
    h.read(new Execute("", 0));
    assertThat(h.received()).isEmpty();
    h.read(new Sync());
    assertThat(h.received()).containsExactly(new ReadyForQuery('I'));
  }

  @Test
  void aBindOfAStatementNeverPreparedIsAnErrorAndSkipsToSync() {
    h.read(new Bind("", "nope", List.of(), List.of(), List.of()), new Execute("", 0), new Sync());
    List<BackendMessage> answers = h.received();
    assertThat(answers).hasSize(2);
    ErrorResponse error = (ErrorResponse) answers.get(0);
    assertThat(error.sqlState()).isEqualTo("26000");
    assertThat(error.message()).isEqualTo("prepared statement `nope` does not exist");
    assertThat(answers.get(1)).isEqualTo(new ReadyForQuery('I'));
  }

  @Test
  void closeOfWhatDoesNotExistIsNoError() {
    h.read(new Close('S', "never"), new Close('P', "never"), new Sync());
    assertThat(h.received())
        .containsExactly(new CloseComplete(), new CloseComplete(), new ReadyForQuery('I'));
  }

  @Test
  void anEmptyQueryIsAnsweredWithoutAnUpstream() {
    h.read(new Query(" "));
    assertThat(h.received()).containsExactly(new EmptyQueryResponse(), new ReadyForQuery('I'));
    assertThat(h.audit.statements).isEmpty();
  }

  @Test
  void theFunctionCallProtocolIsRefused() {
    h.read(new FunctionCall(1234, new byte[] {0, 0, 0, 0, 0, 0}));
    List<BackendMessage> answers = h.received();
    assertThat(answers).hasSize(2);
    assertError(answers.get(0), "42501");
    assertThat(answers.get(1)).isEqualTo(new ReadyForQuery('I'));
  }

  @Test
  void anUnknownMessageTypeIsFatalAndClosesTheConnection() {
    h.readRaw('x');
    List<BackendMessage> answers = h.received();
    assertThat(answers).hasSize(1);
    ErrorResponse fatal = (ErrorResponse) answers.getFirst();
    assertThat(fatal.fields().get('S')).isEqualTo("FATAL");
    assertThat(fatal.sqlState()).isEqualTo("08P01");
    assertThat(fatal.message()).isEqualTo("unexpected message type `x` after startup");
    assertThat(h.client.isActive()).isFalse();
  }

  @Test
  void terminateClosesTheConnection() {
    h.read(new Terminate());
    assertThat(h.received()).isEmpty();
    assertThat(h.client.isActive()).isFalse();
  }

  @Test
  void aTokenThatExpiredEndsTheSessionAtTheNextStatement() {
    Instant expiry = Instant.parse("2026-12-05T12:00:00Z");
    SessionHarness expired =
        new SessionHarness(expiry, Clock.fixed(expiry.plusSeconds(1), ZoneOffset.UTC));
    expired.read(new Query("select 1"));
    List<BackendMessage> answers = expired.received();
    assertThat(answers).hasSize(1);
    ErrorResponse fatal = (ErrorResponse) answers.getFirst();
    assertThat(fatal.fields().get('S')).isEqualTo("FATAL");
    assertThat(fatal.sqlState()).isEqualTo("28000");
    assertThat(expired.client.isActive()).isFalse();
    assertThat(expired.audit.statements).isEmpty();
  }
}
