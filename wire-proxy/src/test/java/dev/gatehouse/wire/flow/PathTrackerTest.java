package dev.gatehouse.wire.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** search_path through transactions, as PostgreSQL keeps it, without a database. */
class PathTrackerTest {

  private static final PostgresSqlAnalyzer ANALYZER = new PostgresSqlAnalyzer();
  private final PathTracker path = new PathTracker(List.of("public"));

  @AfterAll
  static void close() {
    ANALYZER.close();
  }

  /** One message: each statement completes, then ReadyForQuery with {@code status}. */
  private void message(String sql, char status) {
    for (StatementInfo s : ANALYZER.analyze(sql, AnalysisContext.DEFAULT).statements()) {
      path.completed(s);
    }
    path.ready(status);
  }

  /** One message whose first {@code ok} statements complete and the next fails. */
  private void failing(String sql, int ok, char status) {
    List<StatementInfo> all = ANALYZER.analyze(sql, AnalysisContext.DEFAULT).statements();
    all.subList(0, ok).forEach(path::completed);
    path.failed();
    path.ready(status);
  }

  @Test
  void aSetOutsideATransactionHolds() {
    message("SET search_path = app", ReadyForQuery.IDLE);
    assertThat(path.current()).containsExactly("app");
  }

  @Test
  void rollbackUndoesASet() {
    message("SET search_path = app", ReadyForQuery.IDLE);
    message("BEGIN", 'T');
    message("SET search_path = information_schema", 'T');
    assertThat(path.current()).containsExactly("information_schema");
    message("ROLLBACK", ReadyForQuery.IDLE);
    assertThat(path.current()).containsExactly("app");
  }

  @Test
  void rollbackToASavepointUndoesWhatCameAfterIt() {
    message("BEGIN; SET search_path = app; SAVEPOINT a", 'T');
    message("SET search_path = x; SAVEPOINT b; SET search_path = y", 'T');
    message("ROLLBACK TO SAVEPOINT b", 'T');
    assertThat(path.current()).containsExactly("x");
    message("ROLLBACK TO a", 'T');
    assertThat(path.current()).containsExactly("app");
    message("COMMIT", ReadyForQuery.IDLE);
    assertThat(path.current()).containsExactly("app");
  }

  @Test
  void setLocalLastsUntilTheTransactionEnds() {
    message("SET search_path = app", ReadyForQuery.IDLE);
    message("BEGIN; SET LOCAL search_path = x", 'T');
    assertThat(path.current()).containsExactly("x");
    message("COMMIT", ReadyForQuery.IDLE);
    assertThat(path.current()).containsExactly("app");
  }

  /**
   * Red-team round 22: whether the end of the open block would change the path, so that the
   * analysis of a message that ends it and goes on cannot place names after the end.
   */
  @Test
  void settledWhileNoEndOfTheBlockWouldChangeThePath() {
    message("SET search_path = app", ReadyForQuery.IDLE);
    assertThat(path.settled()).isTrue();
    message("BEGIN; SELECT 1", 'T');
    assertThat(path.settled()).isTrue();
    message("SET LOCAL search_path = x", 'T'); // COMMIT or ROLLBACK goes back to app
    assertThat(path.settled()).isFalse();
    message("COMMIT", ReadyForQuery.IDLE);
    assertThat(path.settled()).isTrue();

    message("BEGIN; SET search_path = y", 'T'); // ROLLBACK undoes it
    assertThat(path.settled()).isFalse();
    message("ROLLBACK", ReadyForQuery.IDLE);
    assertThat(path.settled()).isTrue();

    message("BEGIN; SAVEPOINT a; SET search_path = app", 'T'); // the same path: nothing changes
    assertThat(path.settled()).isTrue();
    message("SAVEPOINT b; SET LOCAL search_path = app", 'T');
    assertThat(path.settled()).isTrue();
    message("ROLLBACK", ReadyForQuery.IDLE);
  }

  @Test
  void aFailedImplicitTransactionUndoesItsSet() {
    message("SET search_path = app", ReadyForQuery.IDLE);
    failing("SET search_path = x; SELECT 1/0", 1, ReadyForQuery.IDLE);
    assertThat(path.current()).containsExactly("app");
  }

  @Test
  void commitOfAFailedBlockIsARollback() {
    message("SET search_path = app", ReadyForQuery.IDLE);
    message("BEGIN; SET search_path = x", 'T');
    failing("SELECT 1/0", 0, 'E');
    message("COMMIT", ReadyForQuery.IDLE);
    assertThat(path.current()).containsExactly("app");
  }

  @Test
  void rollbackToASavepointRecoversAFailedBlock() {
    message("BEGIN; SAVEPOINT a; SET search_path = x", 'T');
    failing("SELECT 1/0", 0, 'E');
    message("ROLLBACK TO a; SET search_path = app", 'T');
    message("COMMIT", ReadyForQuery.IDLE);
    assertThat(path.current()).containsExactly("app");
  }

  @Test
  void anUnknownSavepointLeavesNoPath() {
    message("BEGIN; SET search_path = app", 'T');
    message("RELEASE SAVEPOINT never_taken", 'T');
    assertThat(path.current()).isEmpty();
  }

  @Test
  void commitAndChainKeepsABlockOpen() {
    message("BEGIN; SET search_path = app; COMMIT AND CHAIN", 'T');
    message("SET search_path = x", 'T');
    message("ROLLBACK", ReadyForQuery.IDLE);
    assertThat(path.current()).containsExactly("app");
  }
}
