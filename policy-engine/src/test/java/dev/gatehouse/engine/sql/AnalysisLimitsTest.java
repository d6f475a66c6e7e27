package dev.gatehouse.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Messages past the analyser's bounds are refused before JSqlParser, naming the bound. */
class AnalysisLimitsTest {

  private static final AnalysisContext CTX = AnalysisContext.DEFAULT;

  private static PostgresSqlAnalyzer analyzer(
      int maxLength, int statements, int tokens, int depth) {
    return new PostgresSqlAnalyzer(
        new PostgresSqlAnalyzer.Limits(
            maxLength,
            statements,
            tokens,
            depth,
            Duration.ofSeconds(5),
            1,
            1,
            Duration.ofMinutes(1)));
  }

  @Test
  void theDefaultsMatchTheDocumentation() {
    PostgresSqlAnalyzer.Limits d = PostgresSqlAnalyzer.Limits.DEFAULT;
    assertEquals(1 << 20, d.maxLength());
    assertEquals(100, d.maxStatements());
    assertEquals(100_000, d.maxTokens());
    assertEquals(200, d.maxDepth());
    assertEquals(Duration.ofSeconds(2), d.parseTimeout());
    assertEquals(Math.max(1, d.parserThreads() / 2), d.parsesPerPrincipal());
  }

  @Test
  void theIssuesThreeThousandLevelsAreRefusedAtOnce() {
    try (PostgresSqlAnalyzer a = new PostgresSqlAnalyzer()) {
      String sql = "SELECT " + "(".repeat(3000) + "1" + ")".repeat(3000);
      long start = System.nanoTime();
      Analysis analysis = a.analyze(sql, CTX);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(AnalysisLimit.Kind.DEPTH, analysis.exceeded().kind());
      assertEquals("54001", analysis.exceeded().kind().sqlState());
      assertTrue(analysis.riskFlags().contains(RiskFlag.TOO_LARGE));
      // Lexing 201 tokens, no parse: far below the 2 s the parser would have taken.
      assertTrue(millis < 500, "took " + millis + " ms");
    }
  }

  @Test
  void theDeepestAllowedNestingStillParses() {
    try (PostgresSqlAnalyzer a = new PostgresSqlAnalyzer()) {
      String sql = "SELECT " + "(".repeat(200) + "1" + ")".repeat(200);
      Analysis analysis = a.analyze(sql, CTX);
      assertNull(analysis.exceeded());
      assertEquals("SELECT", analysis.statements().getFirst().commandTag());
      assertEquals(java.util.Set.of(), analysis.riskFlags());
    }
  }

  @Test
  void eachBoundHasItsKindAndSetting() {
    try (PostgresSqlAnalyzer a = analyzer(100, 3, 20, 5)) {
      assertEquals(
          AnalysisLimit.Kind.SIZE,
          a.analyze("SELECT '" + "x".repeat(100) + "'", CTX).exceeded().kind());
      assertEquals(
          AnalysisLimit.Kind.STATEMENTS, a.analyze("SELECT 1;".repeat(4), CTX).exceeded().kind());
      assertEquals(
          AnalysisLimit.Kind.TOKENS,
          a.analyze("SELECT " + "1,".repeat(20) + "1", CTX).exceeded().kind());
      assertEquals(
          AnalysisLimit.Kind.DEPTH,
          a.analyze("SELECT " + "(".repeat(6) + "1" + ")".repeat(6), CTX).exceeded().kind());
      assertNull(a.analyze("SELECT (((1)))", CTX).exceeded());
    }
  }

  @Test
  void theExplanationNamesTheBoundAndHowToChangeIt() {
    AnalysisLimit depth = new AnalysisLimit(AnalysisLimit.Kind.DEPTH, 200);
    assertEquals(
        "statement too complex: it nests parentheses or brackets deeper than 200, the gateway's"
            + " limit (`analysis.max-depth`), so it was not analysed and nothing was run. Split or"
            + " simplify it, or ask the gateway's operator to raise `analysis.max-depth`",
        depth.explanation());
    AnalysisLimit tokens = new AnalysisLimit(AnalysisLimit.Kind.TOKENS, 100_000);
    assertTrue(tokens.explanation().startsWith("statement too large: it holds more than 100000"));
    assertEquals("54000", tokens.kind().sqlState());
  }

  @Test
  void aStatementWhoseParseRanPastTheDeadlineIsRefusedAtOnceWhenRepeated() throws Exception {
    try (PostgresSqlAnalyzer a =
        new PostgresSqlAnalyzer(
            new PostgresSqlAnalyzer.Limits(
                1 << 20, 10, 100_000, 400, Duration.ofMillis(20), 1, 1, Duration.ofMinutes(1)))) {
      a.analyze("SELECT 1", CTX); // starts the parser thread
      // Nested parentheses are JSqlParser's slowest input (issue 18): 390 levels take far longer
      // than 20 ms on any machine.
      String slow = "SELECT " + "(".repeat(390) + "1" + ")".repeat(390) + " FROM app.t";
      Analysis first = null;
      // A parse counts as slow only when it ran (nearly) the whole deadline on the worker; one that
      // lost time waiting for the worker (still busy with the previous, abandoned parse, or slow to
      // wake on a loaded machine) is a plain timeout, not remembered. Try again once it is free.
      for (int i = 0; i < 20 && (first == null || first.exceeded() == null); i++) {
        if (i > 0) {
          // Kept: this test measures the parse deadline itself. The pool says nothing about when
          // the abandoned parse lets go of the worker, and a probe statement cannot tell either (it
          // would time out on a loaded machine); a pause between attempts gives it the time.
          Thread.sleep(250);
        }
        first = a.analyze(slow, CTX);
        assertTrue(first.riskFlags().contains(RiskFlag.PARSE_TIMEOUT), first.riskFlags()::toString);
      }
      assertEquals(AnalysisLimit.Kind.PARSE_TIME, first.exceeded().kind());
      // The same statement with other literals: refused without a parse, so well within 20 ms.
      String again = slow.replace("(1)", "(2)");
      long start = System.nanoTime();
      Analysis repeat = a.analyze(again, CTX);
      long micros = (System.nanoTime() - start) / 1_000;
      assertEquals(AnalysisLimit.Kind.PARSE_TIME, repeat.exceeded().kind());
      assertTrue(micros < 20_000, "took " + micros + " µs");
    }
  }

  @Test
  void aTimeoutFromWaitingIsNotRemembered() {
    SlowStatements memory = new SlowStatements(2, Duration.ofMinutes(1));
    memory.remember("a");
    memory.remember("b");
    memory.remember("c");
    // Bounded: the least recently used went out.
    assertTrue(!memory.remembered("a") && memory.remembered("b") && memory.remembered("c"));
    SlowStatements off = new SlowStatements(2, Duration.ZERO);
    off.remember("a");
    assertTrue(!off.remembered("a"));
  }

  @Test
  void anOutlineSplitsWithoutParsing() {
    try (PostgresSqlAnalyzer a = new PostgresSqlAnalyzer()) {
      Analysis outline = a.outline("select 1; DROP TABLE app.t; (SELECT 2)");
      assertEquals(3, outline.statements().size());
      assertEquals("SELECT", outline.statements().get(0).commandTag());
      assertEquals("DROP", outline.statements().get(1).commandTag());
      assertEquals("UNKNOWN", outline.statements().get(2).commandTag());
      assertEquals(StatementClass.UNKNOWN, outline.statements().get(1).statementClass());
      assertEquals(
          AnalysisLimit.Kind.DEPTH,
          a.outline("SELECT " + "(".repeat(300) + "1" + ")".repeat(300)).exceeded().kind());
    }
  }
}
