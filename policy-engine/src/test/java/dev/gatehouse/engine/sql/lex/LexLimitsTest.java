package dev.gatehouse.engine.sql.lex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The lexer stops at its bounds, counting only what the parser would see. */
class LexLimitsTest {

  private static final LexLimits TEN_DEEP = new LexLimits(10, 1_000);

  @Test
  void nestingPastTheBoundStopsTheLexer() {
    String deep = "SELECT " + "(".repeat(11) + "1" + ")".repeat(11);
    LimitExceededException e =
        assertThrows(LimitExceededException.class, () -> Lexer.tokenize(deep, TEN_DEEP));
    assertEquals(LimitExceededException.Bound.DEPTH, e.bound());
    assertEquals(10, e.max());
    // The eleventh parenthesis is where it stopped.
    assertEquals("nesting deeper than 10 at offset 17", e.getMessage());
  }

  @Test
  void bracketsCountAsNestingToo() {
    String deep =
        "SELECT ARRAY" + "[".repeat(6) + "(".repeat(5) + "1" + ")".repeat(5) + "]".repeat(6);
    assertThrows(LimitExceededException.class, () -> Lexer.tokenize(deep, TEN_DEEP));
  }

  @Test
  void exactlyAtTheBoundPasses() throws LexException {
    String ten = "SELECT " + "(".repeat(10) + "1" + ")".repeat(10);
    assertEquals(22, Lexer.tokenize(ten, TEN_DEEP).size());
  }

  @Test
  void siblingsDoNotAddUp() throws LexException {
    // Depth is nesting, not the number of parentheses: a long VALUES list is shallow.
    String values = "INSERT INTO t VALUES " + "(1, (2)),".repeat(100) + "(1, (2))";
    Lexer.tokenize(values, new LexLimits(2, 100_000));
  }

  @Test
  void parenthesesInStringsAndCommentsAreNotNesting() throws LexException {
    String sql =
        "SELECT '" + "(".repeat(50) + "', $$" + "[".repeat(50) + "$$ /* " + "(".repeat(50) + " */";
    assertEquals(4, Lexer.tokenize(sql, TEN_DEEP).size());
  }

  @Test
  void tokenCountPastTheBoundStopsTheLexer() {
    String many = "SELECT " + "1 + ".repeat(600) + "1";
    LimitExceededException e =
        assertThrows(LimitExceededException.class, () -> Lexer.tokenize(many, TEN_DEEP));
    assertEquals(LimitExceededException.Bound.TOKENS, e.bound());
  }

  @Test
  void unboundedLexingIsUnchanged() throws LexException {
    String deep = "SELECT " + "(".repeat(3000) + "1" + ")".repeat(3000);
    assertEquals(6002, Lexer.tokenize(deep).size());
  }

  @Test
  void boundsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new LexLimits(0, 1));
  }
}
