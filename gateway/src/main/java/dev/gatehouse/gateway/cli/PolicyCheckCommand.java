package dev.gatehouse.gateway.cli;

import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.JwtTokenVerifier;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.ExpectedOutcome;
import dev.gatehouse.engine.policy.Policy;
import dev.gatehouse.engine.policy.PolicyLoader;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.RulePolicyEvaluator;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.gateway.check.CheckSupport;
import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import dev.gatehouse.testkit.CorpusCase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse policy check}: one decision, explained, or a whole corpus. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description =
        "Decide a statement for a principal and show the rule ids, explanation, obligations and"
            + " which output columns would be masked by which rule; or check a corpus file.")
public final class PolicyCheckCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "the gateway config file (YAML)")
  Path config;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(
        names = "--principal",
        description = "a reference principal: analyst, etl-nightly, support-lead, dba, contractor")
    String principal;

    @Option(names = "--token", description = "a bearer token, verified against the policy issuers")
    String token;

    @Option(
        names = "--corpus",
        description = "a corpus file (JSON lines: id, principal, sql, expect)")
    Path corpus;
  }

  @Option(names = "--sql", description = "the statement (or message of statements) to decide")
  String sql;

  @Option(
      names = "--database",
      description = "the logical database; default: the policy's only one")
  String database;

  @Override
  public Integer call() throws AuthenticationException {
    GatewayConfig cfg = new GatewayConfigReader().read(config);
    Policy policy = new PolicyLoader(System::getenv).load(cfg.policyFile());
    String db = database != null ? database : CheckSupport.onlyDatabase(policy);
    PrintWriter out = spec.commandLine().getOut();
    try (PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer()) {
      RulePolicyEvaluator evaluator = new RulePolicyEvaluator(policy);
      if (target.corpus != null) {
        return corpus(out, analyzer, evaluator, policy, db);
      }
      if (sql == null) {
        throw new IllegalArgumentException("give the statement with `--sql`");
      }
      Principal principal =
          target.token != null
              ? new JwtTokenVerifier(policy.issuers()).verify(target.token.strip())
              : CheckSupport.referencePrincipal(policy, target.principal);
      Analysis analysis = analyzer.analyze(sql, AnalysisContext.DEFAULT);
      Decision d = evaluator.evaluate(principal, analysis, context(db));
      CheckSupport.print(out, principal, analysis, d);
      return 0;
    }
  }

  private int corpus(
      PrintWriter out,
      PostgresSqlAnalyzer analyzer,
      RulePolicyEvaluator evaluator,
      Policy policy,
      String db) {
    List<CorpusCase> cases = CorpusCase.loadFile(target.corpus);
    int passed = 0;
    int failed = 0;
    for (CorpusCase c : cases) {
      Principal principal = CheckSupport.referencePrincipal(policy, c.principal());
      Analysis analysis = analyzer.analyze(c.sql(), AnalysisContext.DEFAULT);
      Decision d = evaluator.evaluate(principal, analysis, context(db));
      String problem = ExpectedOutcome.problem(c.expect(), d);
      if (problem == null) {
        passed++;
      } else {
        failed++;
        out.println(
            "FAIL "
                + c.id()
                + " ("
                + c.principal()
                + "): expected "
                + c.expect()
                + " but "
                + problem
                + " "
                + d.ruleIds());
      }
    }
    out.println(passed + " passed, " + failed + " failed");
    out.flush();
    return failed == 0 ? 0 : 1;
  }

  private static RequestContext context(String db) {
    return new RequestContext(Channel.CLI, db, "gatehouse-policy-check", null, Instant.now());
  }
}
