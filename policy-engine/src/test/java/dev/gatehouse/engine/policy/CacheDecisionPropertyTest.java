package dev.gatehouse.engine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.CachingSqlAnalyzer;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.Lexer;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.CorpusCase;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The analysis cache never changes a decision: every corpus statement, with its literals replaced
 * by random ones (few and colliding on purpose, so {@code 1 = 1} meets {@code 1 = 2}), gets the
 * same analysis and the same decision through a shared cache as from a fresh analysis.
 */
class CacheDecisionPropertyTest {

  private static final List<String> NUMBERS = List.of("0", "1", "2", "42");
  private static final List<String> STRINGS =
      List.of("a", "b", "1", "t", "off", "on", "app", "evil", "/tmp/x", "search_path");

  private static final PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer();
  private static final CachingSqlAnalyzer cached = new CachingSqlAnalyzer(analyzer, 64);
  private static final RulePolicyEvaluator evaluator =
      new RulePolicyEvaluator(ReferencePolicy.load());

  record Variant(CorpusCase source, String sql) {
    @Override
    public String toString() {
      return source + ": " + sql;
    }
  }

  @AfterContainer
  static void close() {
    analyzer.close();
  }

  /** Statements where a literal decides, besides the corpus: the cache must not be fooled. */
  private static final List<CorpusCase> LITERAL_DECIDES =
      List.of(
          extra("etl-nightly", "EXPLAIN (ANALYZE 0) DELETE FROM app.orders WHERE id = 1"),
          extra("etl-nightly", "EXPLAIN (ANALYZE 'off') UPDATE app.payments SET status = 'x'"),
          extra("etl-nightly", "UPDATE app.payments SET status = 'x' WHERE 'a' = 'b'"),
          extra("etl-nightly", "DELETE FROM app.orders WHERE 1 <> 2 AND id = 7"),
          // issue 15: a target column compared with a literal lets a write share its analysis
          extra("etl-nightly", "UPDATE app.payments SET status = 'x' WHERE id = 1 AND 'a' = 'b'"),
          extra("etl-nightly", "UPDATE app.payments p SET status = 'x' WHERE (p.id >= 2)"),
          extra("etl-nightly", "DELETE FROM app.orders WHERE id = 1 OR 2 = 2"),
          extra("etl-nightly", "DELETE FROM app.orders WHERE NOT (id = 1 AND 1 = 2)"),
          extra("etl-nightly", "DELETE FROM app.orders WHERE app.payments.id = 1 AND 1 = 1"),
          extra(
              "etl-nightly",
              "WITH d AS (DELETE FROM app.orders WHERE 2 = 1 RETURNING id) SELECT 1"),
          extra("analyst", "SET search_path = 'app'"),
          extra("analyst", "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"),
          extra("analyst", "SET default_transaction_read_only = 'on'"),
          extra("analyst", "SELECT set_config('application_name', 'x', false)"),
          extra("analyst", "SELECT id FROM app.orders WHERE 't'::boolean"),
          // red-team round 12: a comment hid the position from the text pattern
          extra("analyst", "SELECT id, ssn FROM app.customers WHERE id >= 0 ORDER/**/BY 2"),
          extra("analyst", "SELECT id, ssn FROM app.customers ORDER BY id >= 0,/**/2"),
          extra("analyst", "SELECT DISTINCT ON (/**/2) id, ssn FROM app.customers"));

  private static CorpusCase extra(String principal, String sql) {
    return new CorpusCase("extra", sql, principal, sql, "any");
  }

  @Provide
  Arbitrary<Variant> variants() {
    List<CorpusCase> all = new java.util.ArrayList<>(CorpusCase.all());
    all.addAll(LITERAL_DECIDES);
    return Arbitraries.of(all)
        .flatMap(
            c -> {
              List<Token> literals = literals(c.sql());
              return Arbitraries.integers()
                  .between(0, 99)
                  .list()
                  .ofSize(literals.size())
                  .map(picks -> new Variant(c, rewrite(c.sql(), literals, picks)));
            });
  }

  @Property(tries = 600)
  void cacheNeverChangesADecision(@ForAll("variants") Variant v) {
    Principal principal = ReferencePolicy.principal(ReferencePrincipal.of(v.source().principal()));
    RequestContext context = new RequestContext(Channel.WIRE, "shop", null, null, Instant.now());
    Analysis viaCache = cached.analyze(v.sql(), AnalysisContext.DEFAULT);
    Analysis fresh = analyzer.analyze(v.sql(), AnalysisContext.DEFAULT);
    assertEquals(fresh, viaCache, v::toString);
    Decision a = evaluator.evaluate(principal, viaCache, context);
    Decision b = evaluator.evaluate(principal, fresh, context);
    assertEquals(b.effect(), a.effect(), v::toString);
    assertEquals(b.ruleIds(), a.ruleIds(), v::toString);
    assertEquals(b.obligations(), a.obligations(), v::toString);
    assertEquals(b.explanation(), a.explanation(), v::toString);
  }

  private static List<Token> literals(String sql) {
    try {
      return Lexer.tokenize(sql).stream()
          .filter(t -> t.type() == TokenType.STRING || t.type() == TokenType.NUMBER)
          .toList();
    } catch (LexException e) {
      return List.of();
    }
  }

  private static String rewrite(String sql, List<Token> literals, List<Integer> picks) {
    StringBuilder out = new StringBuilder(sql);
    for (int i = literals.size() - 1; i >= 0; i--) {
      Token t = literals.get(i);
      int pick = picks.get(i);
      String replacement =
          t.type() == TokenType.NUMBER
              ? NUMBERS.get(pick % NUMBERS.size())
              : "'" + STRINGS.get(pick % STRINGS.size()) + "'";
      out.replace(t.start(), t.end(), replacement);
    }
    return out.toString();
  }
}
