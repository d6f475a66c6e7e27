package dev.gatehouse.gateway.cli;

import dev.gatehouse.engine.policy.Policy;
import dev.gatehouse.engine.policy.PolicyLoader;
import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import dev.gatehouse.gateway.serve.GatewayServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse config validate}: the config, its secrets, its policy and its databases. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Read the config file and its policy, resolve every secret and connect to the control"
            + " database; one line per problem, exit 2 when there is one.")
public final class ConfigValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "the gateway config file (YAML)")
  Path config;

  @Option(names = "--offline", description = "do not connect to the control database")
  boolean offline;

  @Override
  public Integer call() {
    GatewayConfig cfg = new GatewayConfigReader().read(config);
    if (!offline) {
      GatewayServer.checkControlDatabase(cfg);
    }
    Policy policy = new PolicyLoader(System::getenv).load(cfg.policyFile());
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "config `"
            + config
            + "` is valid: policy `"
            + cfg.policyFile()
            + "` ("
            + policy.rules().size()
            + " rules, revision "
            + policy.revision().substring(0, 12)
            + "), wire "
            + cfg.wire().host()
            + ":"
            + cfg.wire().port()
            + ", http "
            + cfg.http().host()
            + ":"
            + cfg.http().port()
            + (cfg.slack() == null ? "" : ", slack on"));
    out.flush();
    return 0;
  }
}
