package dev.gatehouse.gateway.cli;

import dev.gatehouse.engine.policy.Policy;
import dev.gatehouse.engine.policy.PolicyLoader;
import dev.gatehouse.engine.policy.yaml.PolicyException;
import dev.gatehouse.engine.policy.yaml.YamlNode;
import dev.gatehouse.engine.policy.yaml.YamlTree;
import dev.gatehouse.gateway.Gatehouse;
import dev.gatehouse.gateway.config.ConfigException;
import dev.gatehouse.gateway.config.EnvReferences;
import dev.gatehouse.gateway.config.EnvReferences.Reference;
import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import dev.gatehouse.gateway.serve.GatewayServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
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
            + " database; list the environment variables both files need; one line per problem"
            + " of either file (file, line and field), every one in the same run; exit 2 when"
            + " there is one.")
public final class ConfigValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "the gateway config file (YAML)")
  Path config;

  @Option(names = "--offline", description = "do not connect to the control database")
  boolean offline;

  /** The environment; tests replace it. */
  Function<String, String> env = System::getenv;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> problems = new ArrayList<>();
    List<Reference> refs = new ArrayList<>(EnvReferences.scan(config, env));
    // Unset variables get stand-ins shaped for their field, so reading goes on to the file's
    // other problems instead of stopping at the first missing variable.
    GatewayConfig cfg = null;
    Path policyFile = null;
    try {
      cfg = new GatewayConfigReader(lenient(refs)).read(config);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      // The policy is checked too, wherever the config names it.
      policyFile = policyFileOf(config);
    }
    Policy policy = null;
    if (cfg != null) {
      policyFile = cfg.policyFile();
    }
    if (policyFile != null) {
      refs.addAll(EnvReferences.scan(policyFile, env));
      try {
        policy = new PolicyLoader(lenient(refs)).load(policyFile);
      } catch (PolicyException e) {
        e.problems().forEach(p -> problems.add(p.getMessage()));
      }
    }
    List<String> unset = new ArrayList<>();
    for (Reference r : refs) {
      if (!r.set()) {
        unset.add(
            (r.file().equals(config.toString()) ? "config `" : "policy `")
                + r.file()
                + "` line "
                + r.line()
                + ", field `"
                + r.field()
                + "`: environment variable `"
                + r.name()
                + "` is not set");
      }
    }
    problems.addAll(0, unset);
    if (cfg != null && !offline) {
      boolean passwordUnset =
          refs.stream().anyMatch(r -> !r.set() && r.field().startsWith("control."));
      if (!passwordUnset) {
        try {
          GatewayServer.checkControlDatabase(cfg);
        } catch (ConfigException e) {
          problems.add(e.getMessage());
        }
      }
    }
    printVariables(out, refs);
    if (!problems.isEmpty()) {
      for (String p : problems) {
        err.println("gatehouse: " + p);
      }
      err.flush();
      out.flush();
      return Gatehouse.CONFIG_ERROR;
    }
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

  private Function<String, String> lenient(List<Reference> refs) {
    return name -> {
      String value = env.apply(name);
      if (value != null) {
        return value;
      }
      String field =
          refs.stream()
              .filter(r -> r.name().equals(name))
              .map(Reference::field)
              .findFirst()
              .orElse("");
      return EnvReferences.placeholder(name, field);
    };
  }

  /** The policy file a config names, read on its own when the config has problems elsewhere. */
  private static Path policyFileOf(Path config) {
    try {
      YamlNode root = YamlTree.parse(config.toString(), Files.readString(config));
      if (root instanceof YamlNode.Mapping m
          && m.entries().get("policy") instanceof YamlNode.Mapping p
          && p.entries().get("file") instanceof YamlNode.Scalar s
          && s.text() != null) {
        Path file = config.toAbsolutePath().getParent().resolve(s.text());
        return Files.isReadable(file) ? file : null;
      }
    } catch (IOException | RuntimeException e) {
      // the config's own problems are reported already
    }
    return null;
  }

  private static void printVariables(PrintWriter out, List<Reference> refs) {
    Map<String, Boolean> names = new LinkedHashMap<>();
    refs.forEach(r -> names.putIfAbsent(r.name(), r.set()));
    if (names.isEmpty()) {
      return;
    }
    out.println("environment variables the config and its policy read:");
    names.forEach((name, set) -> out.println("  " + name + (set ? "  set" : "  unset")));
  }
}
