package dev.gatehouse.gateway.cli;

import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.policy.Policy;
import dev.gatehouse.engine.policy.PolicyLoader;
import dev.gatehouse.gateway.config.EnvReferences;
import dev.gatehouse.gateway.config.EnvReferences.Reference;
import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import dev.gatehouse.gateway.init.RolePlan;
import dev.gatehouse.testkit.UpstreamRoleSql;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse init}: the governed server's upstream roles and the control database. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description =
        "Create the upstream roles of the policy on the governed server with least privilege"
            + " (from the policy's grants), migrate the control database, and print the secrets"
            + " the config and its policy read; unset ones are generated. Safe to run again.")
public final class InitCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "the gateway config file (YAML)")
  Path config;

  @Option(
      names = "--superuser-url",
      required = true,
      description =
          "JDBC URL of a superuser connection to the governed server, e.g."
              + " jdbc:postgresql://db:5432/postgres?user=postgres (password: PGPASSWORD)")
  String superuserUrl;

  @Option(names = "--dry-run", description = "print the SQL (passwords hidden); change nothing")
  boolean dryRun;

  /** The environment; tests replace it. */
  Function<String, String> env = System::getenv;

  @Override
  public Integer call() throws SQLException {
    PrintWriter out = spec.commandLine().getOut();
    // Unset secrets are generated here, once, and printed for the operator to keep.
    List<Reference> refs = new ArrayList<>(EnvReferences.scan(config, env));
    Map<String, String> generated = new LinkedHashMap<>();
    Function<String, String> withGenerated =
        name -> {
          String v = env.apply(name);
          return v != null ? v : generated.computeIfAbsent(name, n -> generate(refs, n));
        };
    GatewayConfig cfg = new GatewayConfigReader(withGenerated).read(config);
    refs.addAll(EnvReferences.scan(cfg.policyFile(), env));
    Policy policy = new PolicyLoader(withGenerated).load(cfg.policyFile());
    for (RolePlan.Target target : RolePlan.of(policy)) {
      List<String> cluster = new ArrayList<>();
      List<String> database = new ArrayList<>();
      for (UpstreamRoleSql.Role role : target.roles()) {
        cluster.addAll(UpstreamRoleSql.role(role));
        database.addAll(UpstreamRoleSql.grants(role, target.database().database()));
      }
      run(out, superuserUrl, cluster, target.roles());
      run(out, withDatabase(superuserUrl, target.database().database()), database, List.of());
    }
    if (dryRun) {
      out.println("-- and the control database `" + cfg.control().jdbcUrl() + "` is migrated");
    } else {
      // Flyway migrates the schema on open; nothing else is left running.
      ControlDatabase.open(cfg.control()).close();
      out.println("control database `" + cfg.control().jdbcUrl() + "` migrated");
    }
    printSecrets(out, refs, generated);
    out.flush();
    return 0;
  }

  private void run(PrintWriter out, String url, List<String> sql, List<UpstreamRoleSql.Role> roles)
      throws SQLException {
    if (dryRun) {
      out.println("-- on " + url.replaceAll("password=[^&]*", "password=****"));
      for (String s : sql) {
        String shown = s;
        for (UpstreamRoleSql.Role r : roles) {
          shown = shown.replace("'" + r.password().replace("'", "''") + "'", "'****'");
        }
        out.println(shown + ";");
      }
      return;
    }
    Properties props = new Properties();
    String password = env.apply("PGPASSWORD");
    if (password != null && !url.contains("password=")) {
      props.setProperty("password", password);
    }
    try (Connection c = DriverManager.getConnection(url, props);
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "init failed on `"
              + url.replaceAll("password=[^&]*", "password=****")
              + "`: "
              + e.getMessage(),
          e);
    }
    out.println("upstream roles and grants applied on " + url.replaceAll("\\?.*", ""));
  }

  /** {@code url} with its database replaced by {@code database}. */
  static String withDatabase(String url, String database) {
    return url.replaceFirst("^(jdbc:postgresql://[^/?]+)/[^?]*", "$1/" + database);
  }

  private static String generate(List<Reference> refs, String name) {
    String field =
        refs.stream()
            .filter(r -> r.name().equals(name))
            .map(Reference::field)
            .findFirst()
            .orElse("");
    String placeholder = EnvReferences.placeholder(name, field);
    if (!placeholder.startsWith("AAAA")) {
      // a URL, host or Slack token cannot be made up: the operator must give it
      throw new IllegalArgumentException(
          "environment variable `"
              + name
              + "` (field `"
              + field
              + "`) is not set; set it and"
              + " run init again");
    }
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static void printSecrets(
      PrintWriter out, List<Reference> refs, Map<String, String> generated) {
    out.println();
    out.println("# The secrets the config and its policy read. Keep them where `serve` reads its");
    out.println("# environment (e.g. the systemd unit's EnvironmentFile, docs/deploy.md):");
    Map<String, Boolean> seen = new LinkedHashMap<>();
    refs.forEach(r -> seen.putIfAbsent(r.name(), true));
    for (String name : seen.keySet()) {
      if (generated.containsKey(name)) {
        out.println(name + "=" + generated.get(name) + "   # generated now");
      } else {
        out.println("# " + name + " is set in this environment; keep it as it is");
      }
    }
  }
}
