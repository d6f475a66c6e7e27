package dev.gatehouse.mcp.testgate;

import dev.gatehouse.engine.Engine;
import dev.gatehouse.engine.approval.ApprovalConfig;
import dev.gatehouse.engine.audit.AuditConfig;
import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real gate: {@link Engine} over the reference policy (testkit's fixture of the documented
 * example), a control database of its own, the test issuer, and a private copy of the shop
 * database.
 */
public final class EngineGates {

  private static volatile Engine last;
  private static volatile String lastDatabase;

  private EngineGates() {}

  /** The engine started last, for tests that read its control database (the audit trail). */
  public static Engine last() {
    return last;
  }

  /** The physical shop database of the engine started last, for tests that add objects to it. */
  public static String lastDatabase() {
    return lastDatabase;
  }

  /** Starts an engine whose logical database {@code shop} is {@code physicalDatabase}. */
  public static Engine start(String physicalDatabase) {
    return start(physicalDatabase, java.util.function.UnaryOperator.identity());
  }

  /** As {@link #start(String)}, with a last edit of the policy text. */
  public static Engine start(
      String physicalDatabase, java.util.function.UnaryOperator<String> edit) {
    TestPostgres pg = TestPostgres.get();
    try {
      Path dir = Files.createTempDirectory("gatehouse-mcp-engine-");
      Path policy = dir.resolve("policy.yaml");
      Files.writeString(policy, edit.apply(ReferenceGates.policyFor(physicalDatabase)));
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      String control = pg.createEmptyDatabase("mcp_control");
      Engine.Settings settings =
          new Engine.Settings(
              policy,
              Duration.ZERO,
              ControlDatabase.Settings.of(pg.jdbcUrl(control), pg.adminUser(), pg.adminPassword()),
              AuditConfig.defaults("mcp-it", AuditKey.of(key), dir.resolve("spool")),
              ApprovalConfig.defaults(),
              "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
              Map.of("shop", "gatehouse_reader"),
              1000,
              List.of());
      Map<String, String> env = ReferenceGates.environment();
      lastDatabase = physicalDatabase;
      last = Engine.start(settings, env::get, Clock.systemUTC());
      return last;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
