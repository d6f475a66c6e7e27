package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.identity.IssuerConfig;
import dev.gatehouse.engine.policy.yaml.PolicyException;
import dev.gatehouse.engine.policy.yaml.Problems;
import dev.gatehouse.engine.policy.yaml.YamlObject;
import dev.gatehouse.engine.policy.yaml.YamlTree;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and validates a policy file (YAML, see {@code examples/reference-policy.yaml}). Every
 * problem is a {@link PolicyException} naming the file, line and field.
 */
public final class PolicyLoader {

  /**
   * Rule ids the gateway gives its own decisions: the built-in last rule, the taint switch's and
   * the row bound's holds, the analysis limits' and a failed evaluation's refusals. A policy rule
   * of one of these names would read as them in the trail, in an approver's request and in what an
   * approval is taken to cover.
   */
  static final Set<String> RESERVED_IDS =
      Set.of(
          "default-deny",
          "taint",
          "taint-copy",
          "max-rows-affected",
          "analysis-limit",
          "evaluation-error");

  private final Function<String, String> env;

  /** A loader that resolves {@code ${env:NAME}} from the process environment. */
  public PolicyLoader() {
    this(System::getenv);
  }

  /** A loader that resolves {@code ${env:NAME}} through {@code env} (tests, embedding). */
  public PolicyLoader(Function<String, String> env) {
    this.env = env;
  }

  public Policy load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PolicyException(file.toString(), 0, "", "cannot read the file: " + e.getMessage());
    }
    return parse(file, bytes);
  }

  /** Validates {@code bytes} as the content of {@code file}. */
  public Policy parse(Path file, byte[] bytes) {
    String name = file.toString();
    String text = new String(bytes, StandardCharsets.UTF_8);
    YamlObject root = new YamlObject(name, YamlTree.parse(name, text), env);
    // Every problem is recorded and reading goes on (each issuer, database, section and rule on
    // its own), so one run names them all; nothing is returned while any is recorded.
    Problems problems = root.problems();
    root.fields("`version`, `issuers`, `databases`, `rules`, `approvals`, `masking`, `taint`");
    int version = root.integer("version", 1);
    if (version != 1) {
      problems.add(root.error("version", "unsupported version `" + version + "`; expected `1`"));
    }
    List<IssuerConfig> issuers = new ArrayList<>();
    for (YamlObject issuer :
        problems.attempt(() -> root.objects("issuers"), List.<YamlObject>of())) {
      problems.attempt(() -> issuers.add(issuer(issuer)));
    }
    Map<String, DatabaseConfig> databases = new LinkedHashMap<>();
    problems
        .attempt(() -> root.objectMap("databases"), Map.<String, YamlObject>of())
        .forEach((db, node) -> problems.attempt(() -> databases.put(db, database(db, node))));
    Approvers[] approvers = {Approvers.NOBODY};
    Duration[] expiry = {Duration.ofMinutes(15)};
    problems.attempt(
        () -> {
          YamlObject approvalsNode = root.object("approvals", true);
          if (approvalsNode != null) {
            approvalsNode.fields("`approvers`, `expiry`");
            YamlObject a = approvalsNode.object("approvers", true);
            approvers[0] = a == null ? Approvers.NOBODY : RuleReader.approvers(a);
            expiry[0] = approvalsNode.duration("expiry", expiry[0]);
          }
        });
    MaskingSettings masking =
        problems.attempt(
            () -> {
              YamlObject maskingNode = root.object("masking", true);
              return maskingNode == null ? MaskingSettings.NONE : MaskingReader.read(maskingNode);
            },
            MaskingSettings.NONE);
    List<Rule> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    List<YamlObject> ruleNodes = problems.attempt(() -> root.objects("rules"), List.of());
    for (YamlObject r : ruleNodes) {
      Rule rule = problems.attempt(() -> RuleReader.rule(r, databases), null);
      if (rule == null) {
        continue;
      }
      if (!ids.add(rule.id())) {
        problems.add(
            r.error("id", "rule id `" + rule.id() + "` is used twice; rule ids must be unique"));
      }
      if (RESERVED_IDS.contains(rule.id())) {
        problems.add(
            r.error(
                "id",
                "`"
                    + rule.id()
                    + "` is reserved for the gateway's own "
                    + (rule.id().equals("default-deny") ? "last rule" : "holds and refusals")
                    + "; name the rule otherwise"));
      }
      rules.add(rule);
    }
    TaintSettings taint =
        problems.attempt(
            () -> {
              YamlObject taintNode = root.object("taint", true);
              return taintNode == null ? TaintSettings.NONE : TaintReader.read(taintNode);
            },
            TaintSettings.NONE);
    problems.throwIfAny();
    return new Policy(
        file, sha256(bytes), issuers, databases, rules, approvers[0], expiry[0], masking, taint);
  }

  private static IssuerConfig issuer(YamlObject o) {
    o.fields(
        "`issuer`, `discoveryUrl`, `jwksUrl`, `audiences`, `algorithms`, `clockSkew`,"
            + " `groupsClaim`, `clientIdClaim`, `workloadClaim`");
    String issuer = o.string("issuer");
    String discovery = o.string("discoveryUrl", null);
    String jwks = o.string("jwksUrl", null);
    if (discovery == null && jwks == null) {
      discovery = issuer.replaceAll("/$", "") + "/.well-known/openid-configuration";
    }
    List<String> audiences = o.strings("audiences");
    if (audiences.isEmpty()) {
      throw o.error("audiences", "missing; list the `aud` values tokens must carry");
    }
    List<String> algorithms = o.strings("algorithms");
    for (String alg : algorithms) {
      if (alg.startsWith("HS") || alg.equalsIgnoreCase("none")) {
        throw o.error(
            "algorithms",
            "algorithm `" + alg + "` is not allowed; use an asymmetric one such as RS256");
      }
    }
    IssuerConfig config =
        new IssuerConfig(
            issuer,
            discovery == null ? null : uri(o, "discoveryUrl", discovery),
            jwks == null ? null : uri(o, "jwksUrl", jwks),
            audiences,
            Set.copyOf(algorithms.isEmpty() ? List.of("RS256", "ES256") : algorithms),
            o.duration("clockSkew", Duration.ofSeconds(60)),
            o.string("groupsClaim", "groups"),
            o.string("clientIdClaim", "client_id"),
            o.string("workloadClaim", null));
    return config;
  }

  private static URI uri(YamlObject o, String field, String value) {
    try {
      URI uri = URI.create(value);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
        throw o.error(field, "expected an http or https URL, found `" + value + "`");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw o.error(field, "expected a URL, found `" + value + "`");
    }
  }

  private static DatabaseConfig database(String name, YamlObject o) {
    o.fields("`host`, `port`, `database`, `roles`");
    String host = o.string("host");
    int port = o.integer("port", 5432);
    if (port < 1 || port > 65535) {
      throw o.error("port", "expected a port between 1 and 65535, found `" + port + "`");
    }
    String database = o.string("database", name);
    Map<String, DatabaseConfig.Credentials> roles = new LinkedHashMap<>();
    o.objectMap("roles")
        .forEach(
            (role, r) -> {
              r.fields("`user`, `password`");
              roles.put(
                  role, new DatabaseConfig.Credentials(r.string("user"), r.secret("password")));
            });
    if (roles.isEmpty()) {
      throw o.error("roles", "missing; a database needs at least one upstream role");
    }
    return new DatabaseConfig(name, host, port, database, roles);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
