package dev.gatehouse.wire.testgate;

import dev.gatehouse.engine.Engine;
import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.approval.ApprovalConfig;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.audit.AuditConfig;
import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.testkit.TestIssuer;
import dev.gatehouse.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real gate: {@link Engine} started from the reference policy ({@code
 * examples/reference-policy.yaml}) over a fresh control database of the test PostgreSQL, with the
 * real token verifier, SQL analyser, policy evaluator, catalog mask planner, JDBC audit trail and
 * approval service.
 */
public final class ReferenceGates {

  /** The running engine and what tests reach through it. */
  public record Assembly(Engine engine) implements AutoCloseable {
    public Gate gate() {
      return engine.gate();
    }

    public ApprovalService approvals() {
      return engine.approvals();
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  private static final String SHOP_UPSTREAM = "    database: shop\n";

  private ReferenceGates() {}

  /**
   * The reference policy, its logical database {@code shop} pointing at {@code upstreamDatabase} (a
   * private copy for a test that changes data), with {@code extraRules} (YAML list items, indented
   * by two spaces) appended to its rules.
   */
  public static Assembly create(String upstreamDatabase, String extraRules) {
    return create(upstreamDatabase, extraRules, yaml -> yaml);
  }

  /** As {@link #create(String, String)}, with a last edit of the policy text. */
  public static Assembly create(
      String upstreamDatabase, String extraRules, java.util.function.UnaryOperator<String> edit) {
    return create(TestPostgres.get(), upstreamDatabase, extraRules, edit);
  }

  /** As {@link #create(String, String)}, on the server {@code pg} (upstream and control). */
  public static Assembly create(
      TestPostgres pg,
      String upstreamDatabase,
      String extraRules,
      java.util.function.UnaryOperator<String> edit) {
    Path dir;
    Path file;
    try {
      dir = Files.createTempDirectory("gatehouse-wire-engine-");
      file = dir.resolve("policy.yaml");
      Files.writeString(file, edit.apply(policy(extraRules)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> env = new HashMap<>();
    env.put("GATEHOUSE_ISSUER_URL", TestIssuer.get().issuerUrl());
    env.put("GATEHOUSE_PG_HOST", pg.host());
    env.put("GATEHOUSE_PG_PORT", String.valueOf(pg.port()));
    env.put("GATEHOUSE_PG_DATABASE", upstreamDatabase);
    env.put("GATEHOUSE_READER_PASSWORD", pg.reader().password());
    env.put("GATEHOUSE_READER_CLEARED_PASSWORD", pg.readerCleared().password());
    env.put("GATEHOUSE_WRITER_PASSWORD", pg.writer().password());
    env.put("GATEHOUSE_OWNER_PASSWORD", pg.owner().password());
    String control = pg.createEmptyDatabase("wire_control");
    Engine.Settings settings =
        new Engine.Settings(
            file,
            Duration.ZERO,
            ControlDatabase.Settings.of(pg.jdbcUrl(control), pg.adminUser(), pg.adminPassword()),
            // Parameters in clear: the approval tests read the values an approver is shown.
            AuditConfig.defaults("wire-it", AuditKey.of(new byte[32]), dir.resolve("spool"))
                .withParamMode(dev.gatehouse.engine.audit.ParamMode.CLEAR),
            ApprovalConfig.defaults(),
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
            Map.of("shop", "gatehouse_reader"),
            10_000,
            List.of());
    return new Assembly(Engine.start(settings, env::get, Clock.systemUTC()));
  }

  private static String policy(String extraRules) throws IOException {
    // The module directory when run by Maven, the repository root when run by the bench script.
    Path example = Path.of("..", "examples", "reference-policy.yaml");
    if (!Files.exists(example)) {
      example = Path.of("examples", "reference-policy.yaml");
    }
    String yaml = Files.readString(example);
    if (!yaml.contains(SHOP_UPSTREAM) || !yaml.contains("\napprovals:")) {
      throw new IllegalStateException("the reference policy no longer has the expected layout");
    }
    yaml = yaml.replace(SHOP_UPSTREAM, "    database: ${env:GATEHOUSE_PG_DATABASE}\n");
    return yaml.replace("\napprovals:", "\n" + extraRules + "\napprovals:");
  }

  public static Assembly create() {
    return create(TestPostgres.SHOP, "");
  }
}
