package dev.gatehouse.wire.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementCountTest {

  private static boolean[] feed(int analysed, String types) {
    StatementCount count = new StatementCount(analysed);
    boolean[] out = new boolean[types.length()];
    for (int i = 0; i < types.length(); i++) {
      out[i] = count.beyond(types.charAt(i));
    }
    return out;
  }

  @Test
  void theAnalysedStatementsPass() {
    // SELECT; COPY TO STDOUT; UPDATE, then ReadyForQuery
    assertThat(feed(3, "TDDCHddCCZ")).containsOnly(false);
    // an empty Query: no statement analysed, one EmptyQueryResponse
    assertThat(feed(0, "IZ")).containsOnly(false);
    // COPY FROM STDIN, and an error that ends the Query early
    assertThat(feed(1, "GCZ")).containsOnly(false);
    assertThat(feed(2, "TDEZ")).containsOnly(false);
  }

  @Test
  void aResultOfAStatementTheAnalysisDidNotSeeIsCaughtBeforeItsData() {
    // The red team's R11: the gateway saw one SELECT, PostgreSQL ran a SELECT and a COPY.
    assertThat(feed(1, "TDCH")).containsExactly(false, false, false, true);
    // ... or a SELECT and a hidden UPDATE: its CommandComplete is the first sign.
    assertThat(feed(1, "TDCC")).containsExactly(false, false, false, true);
    assertThat(feed(1, "CT")).containsExactly(false, true);
    assertThat(feed(2, "CCD")).containsExactly(false, false, true);
    assertThat(feed(1, "CG")).containsExactly(false, true);
  }
}
