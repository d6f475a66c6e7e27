package dev.gatehouse.wire.flow;

/**
 * The statements of one simple Query as the upstream ends them, against the number the gateway
 * analysed. PostgreSQL ends each statement of a Query with one CommandComplete (an empty Query with
 * one EmptyQueryResponse), so a result after that many ends answers a statement the analysis did
 * not see: the gateway and PostgreSQL read different text (a lexer differential), and whatever it
 * returns was neither decided nor masked. The caller fails closed on it.
 */
final class StatementCount {

  private final int analysed;
  private int ended;

  StatementCount(int analysed) {
    this.analysed = Math.max(1, analysed);
  }

  /** How many statements the upstream has ended so far: the index of the one answering now. */
  int ended() {
    return ended;
  }

  /** Counts {@code type}; true when it belongs to a statement past the analysed ones. */
  boolean beyond(char type) {
    return switch (type) {
      case 'C', 'I' -> ++ended > analysed;
      case 'T', 'D', 'H', 'G', 'W', 'd', 's' -> ended >= analysed;
      default -> false;
    };
  }
}
