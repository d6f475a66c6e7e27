package dev.gatehouse.wire.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.wire.flow.TransactionGuard.Action;
import org.junit.jupiter.api.Test;

/** The transaction status the client sees, as PostgreSQL would report it, without a database. */
class TransactionGuardTest {

  private final TransactionGuard guard = new TransactionGuard();

  @Test
  void aSessionStartsIdleAndARefusalOutsideABlockChangesNothing() {
    assertThat(guard.status()).isEqualTo('I');
    assertThat(guard.idle()).isTrue();
    guard.refused();
    assertThat(guard.status()).isEqualTo('I');
    assertThat(guard.at("select 1")).isEqualTo(Action.DECIDE);
  }

  @Test
  void theUpstreamsReadyForQuerySetsTheStatus() {
    assertThat(guard.ready('T')).isEqualTo('T');
    assertThat(guard.inBlock()).isTrue();
    assertThat(guard.idle()).isFalse();
    // an error upstream fails the block there; the upstream itself answers 25P02 from now on
    assertThat(guard.ready('E')).isEqualTo('E');
    assertThat(guard.inBlock()).isFalse();
    assertThat(guard.at("select 1")).isEqualTo(Action.DECIDE);
    assertThat(guard.ready('I')).isEqualTo('I');
    assertThat(guard.idle()).isTrue();
  }

  @Test
  void aRefusalInsideABlockFailsTheBlockUntilItEnds() {
    guard.ready('T');
    guard.refused();
    assertThat(guard.status()).isEqualTo('E');
    assertThat(guard.at("select 1")).isEqualTo(Action.REFUSE);
    assertThat(guard.at("  SAVEPOINT s")).isEqualTo(Action.REFUSE);
    // the upstream's block is still open, yet the client is told it failed
    assertThat(guard.ready('T')).isEqualTo('E');
    assertThat(guard.status()).isEqualTo('E');
  }

  @Test
  void commitOrEndOfAFailedBlockRollsBack() {
    for (String end : new String[] {"COMMIT", "end", "rollback", "ABORT", " commit work;"}) {
      TransactionGuard g = new TransactionGuard();
      g.ready('T');
      g.refused();
      assertThat(g.at(end)).as(end).isEqualTo(Action.ROLLBACK);
      // still aborted until the upstream says the block ended
      assertThat(g.at("select 1")).as(end).isEqualTo(Action.REFUSE);
      assertThat(g.ready('I')).isEqualTo('I');
      assertThat(g.at("select 1")).as(end).isEqualTo(Action.DECIDE);
    }
  }

  @Test
  void aRefusalAfterABeginNotYetReportedAbortsTheBlockTheUpstreamReports() {
    // BEGIN and a refused statement in one pipeline: the client was last told `I`
    guard.refused();
    assertThat(guard.status()).isEqualTo('I');
    assertThat(guard.ready('T')).isEqualTo('E');
    assertThat(guard.at("COMMIT")).isEqualTo(Action.ROLLBACK);
    assertThat(guard.ready('I')).isEqualTo('I');
    // once the client was told, an earlier refusal no longer counts
    guard.refused();
    assertThat(guard.told()).isEqualTo('I');
    assertThat(guard.ready('T')).isEqualTo('T');
  }

  @Test
  void rollbackToASavepointRecoversTheBlockOnceItIsSent() {
    guard.ready('T');
    guard.refused();
    assertThat(guard.at("ROLLBACK TO SAVEPOINT s1")).isEqualTo(Action.RECOVER);
    // judging it (a Parse that may never run) changes nothing (red-team round 20)
    assertThat(guard.aborted()).isTrue();
    assertThat(guard.at("COMMIT")).isEqualTo(Action.ROLLBACK);
    guard.recovered();
    assertThat(guard.at("select 1")).isEqualTo(Action.DECIDE);
    assertThat(guard.ready('T')).isEqualTo('T');
  }

  @Test
  void aChainAndASingleStatementAreToldFromTheWordsNotTheText() {
    assertThat(TransactionGuard.chains("COMMIT AND CHAIN")).isTrue();
    assertThat(TransactionGuard.chains("end and\n chain;")).isTrue();
    assertThat(TransactionGuard.chains("COMMIT AND NO CHAIN")).isFalse();
    assertThat(TransactionGuard.chains("COMMIT /* and chain */")).isFalse();
    assertThat(TransactionGuard.alone("COMMIT;")).isTrue();
    assertThat(TransactionGuard.alone("COMMIT; UPDATE t SET a = 1")).isFalse();
    assertThat(TransactionGuard.alone("ROLLBACK; SELECT 1")).isFalse();
    assertThat(TransactionGuard.alone("COMMIT -- ; SELECT 1")).isTrue();
  }
}
