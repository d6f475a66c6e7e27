package dev.gatehouse.engine.sql.lex;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.CorpusCase;
import dev.gatehouse.testkit.Mutator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bounded fuzzing of the lexer and the analyser over mutated corpus statements: the lexer returns
 * ordered tokens or a {@link LexException} and stops at its bounds; the analyser never throws.
 * {@code -Dgatehouse.fuzz.seconds=600} runs it longer (docs/operations.md).
 */
class LexerFuzzTest {

  private static final LexLimits LIMITS = new LexLimits(200, 100_000);

  static void lex(String sql) {
    List<Token> tokens;
    try {
      tokens = Lexer.tokenize(sql, LIMITS);
    } catch (LexException refused) {
      return;
    }
    assertThat(tokens.size()).isLessThanOrEqualTo(LIMITS.maxTokens());
    int last = -1;
    for (Token t : tokens) {
      assertThat(t.start()).isGreaterThan(last);
      assertThat(t.end()).isBetween(t.start() + 1, sql.length());
      last = t.start();
    }
    Splitter.split(sql, tokens);
  }

  @Test
  void mutatedStatementsAreLexedOrRefusedAndAnalysedWithoutThrowing() {
    List<byte[]> seeds = new ArrayList<>();
    for (CorpusCase c : CorpusCase.all()) {
      seeds.add(c.sql().getBytes(StandardCharsets.UTF_8));
    }
    List<byte[]> tokens = new ArrayList<>();
    for (String t :
        List.of(
            "'",
            "\"",
            "$$",
            "$a$",
            "/*",
            "*/",
            "--",
            "\n",
            "E'\\",
            "U&'",
            "U&\"",
            " UESCAPE '!'",
            "(",
            ")",
            "[",
            "]",
            ";",
            "::",
            "\\",
            "0x",
            "1e",
            "$1",
            "OPERATOR(pg_catalog.~)")) {
      tokens.add(t.getBytes(StandardCharsets.UTF_8));
    }
    long seed = Mutator.seed();
    Mutator mutator = new Mutator(seeds, tokens, seed);
    try (PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer()) {
      long[] analysed = {0};
      long runs =
          mutator.run(
              Mutator.budgetMillis(5),
              5_000,
              seed,
              in -> {
                String sql = new String(in, StandardCharsets.UTF_8);
                lex(sql);
                // The analyser parses: slower, so one input in ten.
                if (mutator.nextInt(10) == 0) {
                  Analysis a = analyzer.analyze(sql, AnalysisContext.DEFAULT);
                  assertThat(a.statements()).isNotNull();
                  analysed[0]++;
                }
              });
      System.out.printf(
          "sql lexer fuzz: %d inputs (%d analysed), seed %d%n", runs, analysed[0], seed);
      assertThat(runs).isPositive();
    }
  }

  /** Inputs that must stay refused or lexed cleanly. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT U&'\\",
        "SELECT E'\\",
        "SELECT $a$ $b$",
        "/* /* */",
        "SELECT 1 UESCAPE",
        "SELECT U&\"a\" UESCAPE '",
        "SELECT 0x",
        "SELECT 1e+",
      })
  void foundInputsStayClean(String sql) {
    lex(sql);
    try (PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer()) {
      assertThat(analyzer.analyze(sql, AnalysisContext.DEFAULT).statements()).isNotNull();
    }
  }
}
