package dev.gatehouse.engine.bench;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.PolicyLoader;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.RulePolicyEvaluator;
import dev.gatehouse.engine.sql.CachingSqlAnalyzer;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.CorpusCase;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Analyse-and-decide latency of one corpus message under the reference policy, round-robin over
 * every case of both corpus files, with and without the analysis cache; and round-robin over only
 * the cases the cache keeps (no literal shapes their analysis), i.e. statements seen before.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AnalyzeAndDecideBenchmark {

  private List<CorpusCase> cases;
  private Principal[] principals;
  private PostgresSqlAnalyzer analyzer;
  private CachingSqlAnalyzer cached;
  private RulePolicyEvaluator evaluator;
  private RequestContext context;
  private int next;
  private int[] cacheable;
  private int nextCacheable;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    cases = CorpusCase.all();
    // No upstream is contacted: the credentials only need to resolve.
    Map<String, String> env =
        Map.of(
            "GATEHOUSE_ISSUER_URL", "https://issuer.example/gatehouse",
            "GATEHOUSE_PG_HOST", "127.0.0.1",
            "GATEHOUSE_PG_PORT", "5432",
            "GATEHOUSE_READER_PASSWORD", "x",
            "GATEHOUSE_READER_CLEARED_PASSWORD", "x",
            "GATEHOUSE_WRITER_PASSWORD", "x",
            "GATEHOUSE_OWNER_PASSWORD", "x");
    Path file = dev.gatehouse.engine.policy.ReferencePolicy.file();
    evaluator = new RulePolicyEvaluator(new PolicyLoader(env::get).load(file));
    analyzer = new PostgresSqlAnalyzer();
    cached = new CachingSqlAnalyzer(analyzer, 1024);
    context = new RequestContext(Channel.WIRE, "shop", "bench", "127.0.0.1", Instant.now());
    cacheable =
        IntStream.range(0, cases.size())
            .filter(
                i -> {
                  String sql = cases.get(i).sql();
                  return analyzer
                      .analyze(sql, analyzer.lex(sql), AnalysisContext.DEFAULT)
                      .cacheable();
                })
            .toArray();
    principals = new Principal[cases.size()];
    for (int i = 0; i < cases.size(); i++) {
      ReferencePrincipal p = ReferencePrincipal.of(cases.get(i).principal());
      principals[i] =
          new Principal(
              "https://issuer.example/gatehouse",
              p.subject(),
              p.workload() ? Principal.Kind.WORKLOAD : Principal.Kind.PERSON,
              Set.copyOf(p.groups()),
              p.workload() ? p.subject() : null,
              Map.of("groups", p.groups()),
              Instant.now().plusSeconds(86_400));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    analyzer.close();
  }

  @Benchmark
  public Decision uncached() {
    int i = next++ % cases.size();
    return evaluator.evaluate(
        principals[i], analyzer.analyze(cases.get(i).sql(), AnalysisContext.DEFAULT), context);
  }

  @Benchmark
  public Decision cached() {
    int i = next++ % cases.size();
    return evaluator.evaluate(
        principals[i], cached.analyze(cases.get(i).sql(), AnalysisContext.DEFAULT), context);
  }

  /** Only the cases whose analysis the cache keeps, so after the first round every one is a hit. */
  @Benchmark
  public Decision cachedHitsOnly() {
    int i = cacheable[nextCacheable++ % cacheable.length];
    return evaluator.evaluate(
        principals[i], cached.analyze(cases.get(i).sql(), AnalysisContext.DEFAULT), context);
  }
}
