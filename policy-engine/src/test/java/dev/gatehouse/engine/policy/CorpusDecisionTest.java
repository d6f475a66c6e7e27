package dev.gatehouse.engine.policy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.CorpusCase;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the shared corpus, analysed and decided for its principal under the reference
 * policy, must get the decision its {@code expect} asks for.
 */
class CorpusDecisionTest {

  private static final Map<String, AtomicInteger[]> tally = new ConcurrentHashMap<>();
  private static PostgresSqlAnalyzer analyzer;
  private static RulePolicyEvaluator evaluator;

  @BeforeAll
  static void setUp() {
    analyzer = new PostgresSqlAnalyzer();
    evaluator = new RulePolicyEvaluator(ReferencePolicy.load());
  }

  @AfterAll
  static void report() {
    analyzer.close();
    tally.forEach(
        (file, counts) ->
            System.out.println(
                file + ": " + counts[0].get() + " passed, " + counts[1].get() + " failed"));
  }

  static Stream<CorpusCase> attacks() {
    return CorpusCase.load("attacks.jsonl").stream();
  }

  static Stream<CorpusCase> benign() {
    return CorpusCase.load("benign.jsonl").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void attack(CorpusCase c) {
    check(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("benign")
  void benignCase(CorpusCase c) {
    check(c);
  }

  private static void check(CorpusCase c) {
    var principal = ReferencePolicy.principal(ReferencePrincipal.of(c.principal()));
    var context =
        new RequestContext(Channel.WIRE, TestPostgres.SHOP, "corpus", "127.0.0.1", Instant.now());
    var analysis = analyzer.analyze(c.sql(), AnalysisContext.DEFAULT);
    Decision d = evaluator.evaluate(principal, analysis, context);
    String problem = ExpectedOutcome.problem(c.expect(), d);
    AtomicInteger[] counts =
        tally.computeIfAbsent(
            c.file(), f -> new AtomicInteger[] {new AtomicInteger(), new AtomicInteger()});
    counts[problem == null ? 0 : 1].incrementAndGet();
    assertTrue(
        problem == null,
        () ->
            c
                + " expected "
                + c.expect()
                + " but "
                + problem
                + "\n  "
                + d.effect()
                + " "
                + d.ruleIds()
                + ": "
                + d.explanation()
                + "\n  analysis: "
                + analysis.statements());
  }
}
