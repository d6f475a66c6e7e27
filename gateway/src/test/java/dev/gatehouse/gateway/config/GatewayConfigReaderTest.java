package dev.gatehouse.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.audit.LogSettings;
import dev.gatehouse.engine.audit.ParamMode;
import dev.gatehouse.engine.audit.RecordBounds;
import dev.gatehouse.engine.audit.log.Fsync;
import dev.gatehouse.engine.quota.QuotaLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file: the shipped example loads, and each kind of mistake is one clear line. */
class GatewayConfigReaderTest {

  @TempDir Path dir;

  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("GATEHOUSE_CONTROL_PASSWORD", "control-secret");
    env.put("GATEHOUSE_AUDIT_KEY", Base64.getEncoder().encodeToString(new byte[32]));
    env.put("GATEHOUSE_PSEUDONYM_KEY", "0123456789abcdef0123456789abcdef");
    env.put("GATEHOUSE_SLACK_BOT_TOKEN", "xoxb-123-456-abcdef");
    env.put("GATEHOUSE_SLACK_SIGNING_SECRET", "0123456789abcdef0123");
    env.put("GATEHOUSE_METRICS_TOKEN", "metrics-token-0123456789");
    return env;
  }

  static Path example() {
    return Path.of("..", "examples", "gatehouse.yaml");
  }

  @Test
  void theShippedExampleLoadsWithEverySection() {
    GatewayConfig c = new GatewayConfigReader(env()::get).read(example());
    assertThat(c.policyFile().getFileName().toString()).isEqualTo("reference-policy.yaml");
    assertThat(c.policyReload()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.control().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/gatehouse");
    assertThat(c.control().password()).isEqualTo("control-secret");
    assertThat(c.audit().instanceId()).isEqualTo("gatehouse-1");
    assertThat(c.audit().paramMode()).isEqualTo(ParamMode.HMAC);
    assertThat(c.audit().synchronousCommit()).isTrue();
    assertThat(c.pseudonymKey()).hasSize(32);
    assertThat(c.catalogRoles()).containsEntry("shop", "gatehouse_reader");
    assertThat(c.wire().port()).isEqualTo(6432);
    assertThat(c.wire().approvalWait()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.http().metricsToken()).isEqualTo("metrics-token-0123456789");
    assertThat(c.mcp().database()).isEqualTo("shop");
    assertThat(c.mcp().sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.mcp().sessionMaxLifetime()).isNull();
    assertThat(c.slack()).isNotNull();
    assertThat(c.slack().channel()).isEqualTo("C0123456789");
    assertThat(c.slack().approversByEmail()).containsKey("dba@example.com");
  }

  @Test
  void anUnknownFieldNamesFileLineAndField() throws IOException {
    Path f = write("wire:\n  host: 127.0.0.1\n  prot: 6432\n");
    assertThatThrownBy(() -> read(f))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config `"
                + f
                + "` line 16, field `wire.prot`: unknown field `prot`; expected one of `host`,"
                + " `port`, `tlsCertificate`, `tlsKey`, `plaintextOnLoopback`, `maxConnections`,"
                + " `maxMessageSize`, `startupTimeout`, `upstreamTimeout`, `idleTimeout`,"
                + " `approvalWait`, `drainTimeout`, `eventLoopThreads`, `oauthBearer`");
  }

  @Test
  void oauthBearerIsReadAndChecked() throws IOException {
    assertThat(read(write("")).wire().oauthBearer()).isNull();
    var bearer =
        read(write(
                "wire:\n  oauthBearer:\n    issuer: https://idp.example.com\n    byDefault: true\n"))
            .wire()
            .oauthBearer();
    assertThat(bearer.discoveryUrl())
        .isEqualTo("https://idp.example.com/.well-known/openid-configuration");
    assertThat(bearer.scope()).isEqualTo("openid");
    assertThat(bearer.byDefault()).isTrue();
    Path f = write("wire:\n  oauthBearer:\n    issuer: idp.example.com\n");
    assertThatThrownBy(() -> read(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("field `wire.oauthBearer.issuer`")
        .hasMessageContaining("`idp.example.com` must be an https URL");
  }

  @Test
  void aWrongTypeNamesTheField() throws IOException {
    Path f = write("http:\n  port: eighty\n");
    assertThatThrownBy(() -> read(f))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config `"
                + f
                + "` line 15, field `http.port`: expected a whole number, found `eighty`");
  }

  @Test
  void quotasDefaultWhenLeftOutAndAreReadAndCheckedWhenGiven() throws IOException {
    QuotaLimits defaults = read(write("")).quotas();
    assertThat(defaults).isEqualTo(QuotaLimits.defaults());
    assertThat(defaults.wireSessionsPerPrincipal()).isEqualTo(100);
    assertThat(defaults.upstreamReserve()).isEqualTo(10);
    assertThat(defaults.unauthenticatedPerAddress()).isEqualTo(16);
    QuotaLimits given =
        read(write(
                "quotas:\n  wireSessionsPerPrincipal: 7\n  unauthenticatedPerAddress: 4\n"
                    + "  upstream:\n    maxConnections: 40\n    perPrincipal: 10\n"))
            .quotas();
    assertThat(given.wireSessionsPerPrincipal()).isEqualTo(7);
    assertThat(given.unauthenticatedPerAddress()).isEqualTo(4);
    assertThat(given.perAddressInStartup()).isEqualTo(4);
    assertThat(given.upstreamConnections()).isEqualTo(40);
    assertThat(given.upstreamPerPrincipal()).isEqualTo(10);
    Path tooBig = write("quotas:\n  upstream:\n    maxConnections: 10\n    perPrincipal: 20\n");
    assertThatThrownBy(() -> read(tooBig))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("field `quotas.upstream.perPrincipal`")
        .hasMessageContaining("so one principal could take every slot; lower it");
    Path negative = write("quotas:\n  mcpSessionsPerPrincipal: -1\n");
    assertThatThrownBy(() -> read(negative))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("field `quotas.mcpSessionsPerPrincipal`: `mcpSessionsPerPrincipal`");
  }

  @Test
  void mcpSessionsMustEndOnceIdle() throws IOException {
    Path f = base().replace("  database: shop\n", "  database: shop\n  sessionIdleTimeout: 0s\n");
    assertThatThrownBy(() -> read(f))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config `"
                + f
                + "` line 13, field `mcp.sessionIdleTimeout`: `0s` is not allowed: an MCP session"
                + " its client forgets must end; give a duration such as `30m`");
    Path given =
        base()
            .replace(
                "  database: shop\n",
                "  database: shop\n  sessionIdleTimeout: 5m\n  sessionMaxLifetime: 8h\n");
    GatewayConfig.Mcp mcp = read(given).mcp();
    assertThat(mcp.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(mcp.sessionMaxLifetime()).isEqualTo(Duration.ofHours(8));
  }

  @Test
  void aMissingSecretNamesTheVariable() throws IOException {
    Path f = write("");
    Map<String, String> env = env();
    env.remove("GATEHOUSE_AUDIT_KEY");
    assertThatThrownBy(() -> new GatewayConfigReader(env::get).read(f))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config `"
                + f
                + "` line 9, field `audit.key`: environment variable `GATEHOUSE_AUDIT_KEY` is not"
                + " set");
  }

  @Test
  void aLiteralSecretIsRefused() throws IOException {
    Path f = base().replace("${env:GATEHOUSE_CONTROL_PASSWORD}", "hunter2");
    assertThatThrownBy(() -> read(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "config `" + f + "` line 7, field `control.password`: secrets never")
        .hasMessageContaining("config");
  }

  @Test
  void aComponentsOwnRefusalIsReportedAtItsSection() throws IOException {
    Path f = write("wire:\n  port: 70000\n");
    assertThatThrownBy(() -> read(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 15, field `wire.port`")
        .hasMessageContaining("out of range");
  }

  @Test
  void aMissingPolicyFileIsNamed() throws IOException {
    Path f = base().replace("file: policy.yaml", "file: nowhere.yaml");
    assertThatThrownBy(() -> read(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 3, field `policy.file`")
        .hasMessageContaining("nowhere.yaml");
  }

  @Test
  void everyMessageIsOneLine() throws IOException {
    Path f = write("approvals:\n  window: soon\n");
    assertThatThrownBy(() -> read(f))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
        .hasMessageContaining("field `approvals.window`");
  }

  @Test
  void auditSynchronousCommitCanBeTurnedOff() throws IOException {
    assertThat(read(base().file()).audit().synchronousCommit()).as("default").isTrue();
    Path f =
        base()
            .replace(
                "  spoolDirectory: spool\n",
                "  spoolDirectory: spool\n  synchronousCommit: false\n");
    assertThat(read(f).audit().synchronousCommit()).isFalse();
  }

  @Test
  void auditDurabilityDefaultsToTheLocalLogAndReadsItsSettings() throws IOException {
    LogSettings d = read(base().file()).audit().log();
    assertThat(d.durability()).isEqualTo(LogSettings.Durability.LOCAL_LOG);
    assertThat(d.directory()).isEqualTo(dir.resolve("audit-log"));
    assertThat(d.fsync()).isEqualTo(Fsync.INTERVAL);
    assertThat(d.fsyncInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(d.retention()).isNull();
    Path f =
        base()
            .replace(
                "  spoolDirectory: spool\n",
                "  spoolDirectory: spool\n  durability: control-database\n  log:\n"
                    + "    directory: /var/lib/gatehouse/log\n    fsync: always\n"
                    + "    fsyncIntervalMs: 5\n  ship:\n    maxLagRecords: 10\n"
                    + "    maxLagSeconds: 3\n  retention: 30d\n");
    LogSettings s = read(f).audit().log();
    assertThat(s.durability()).isEqualTo(LogSettings.Durability.CONTROL_DATABASE);
    assertThat(s.directory()).isEqualTo(Path.of("/var/lib/gatehouse/log"));
    assertThat(s.fsync()).isEqualTo(Fsync.ALWAYS);
    assertThat(s.fsyncInterval()).isEqualTo(Duration.ofMillis(5));
    assertThat(s.maxLagRecords()).isEqualTo(10);
    assertThat(s.maxLagSeconds()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.retention()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void badAuditLogSettingsNameFileLineAndField() throws IOException {
    Path fsync =
        base()
            .replace(
                "  spoolDirectory: spool\n",
                "  spoolDirectory: spool\n  log:\n    fsync: sometimes\n");
    assertThatThrownBy(() -> read(fsync))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config `"
                + fsync
                + "` line 12, field `audit.log.fsync`: audit log fsync `sometimes` is not one of"
                + " `always`, `interval`, `never`");
    Path durability =
        base()
            .replace("  spoolDirectory: spool\n", "  spoolDirectory: spool\n  durability: disk\n");
    assertThatThrownBy(() -> read(durability))
        .hasMessage(
            "config `"
                + durability
                + "` line 11, field `audit.durability`: `disk` is not one of `local-log`,"
                + " `control-database`");
    Path lag =
        base()
            .replace(
                "  spoolDirectory: spool\n",
                "  spoolDirectory: spool\n  ship:\n    maxLagRecords: 0\n");
    assertThatThrownBy(() -> read(lag))
        .hasMessageContaining(
            "line 12, field `audit.ship.maxLagRecords`: must be at least 1, got 0");
  }

  @Test
  void auditRecordBoundsDefaultTo64KiAndAreReadAndChecked() throws IOException {
    assertThat(read(base().file()).audit().bounds()).isEqualTo(RecordBounds.DEFAULTS);
    assertThat(RecordBounds.DEFAULTS.maxSqlChars()).isEqualTo(65_536);
    assertThat(new GatewayConfigReader(env()::get).read(example()).audit().bounds())
        .isEqualTo(new RecordBounds(65_536, 65_536));
    Path f =
        base()
            .replace(
                "  spoolDirectory: spool\n",
                "  spoolDirectory: spool\n  record:\n    maxSqlChars: 4096\n"
                    + "    maxParamChars: 2048\n");
    assertThat(read(f).audit().bounds()).isEqualTo(new RecordBounds(4096, 2048));
    Path small =
        base()
            .replace(
                "  spoolDirectory: spool\n",
                "  spoolDirectory: spool\n  record:\n    maxSqlChars: 10\n");
    assertThatThrownBy(() -> read(small))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config `"
                + small
                + "` line 12, field `audit.record.maxSqlChars`: must be between 1024 and 1048576"
                + " characters, got 10");
    Path unknown =
        base()
            .replace(
                "  spoolDirectory: spool\n",
                "  spoolDirectory: spool\n  record:\n    maxParams: 10\n");
    assertThatThrownBy(() -> read(unknown)).hasMessageContaining("audit.record.maxParams");
  }

  private GatewayConfig read(Path f) {
    return new GatewayConfigReader(env()::get).read(f);
  }

  /** A minimal valid file (13 lines) followed by {@code extra}, which starts at line 14. */
  private Path write(String extra) throws IOException {
    Files.writeString(dir.resolve("policy.yaml"), "version: 1\n");
    Path f = dir.resolve("gatehouse.yaml");
    Files.writeString(f, BASE + extra, StandardCharsets.UTF_8);
    return f;
  }

  private Edit base() throws IOException {
    return new Edit(write(""));
  }

  /** Rewrites the written file. */
  private record Edit(Path file) {
    Path replace(String from, String to) throws IOException {
      Files.writeString(file, Files.readString(file).replace(from, to));
      return file;
    }
  }

  static final String BASE =
      """
      version: 1
      policy:
        file: policy.yaml
      control:
        url: jdbc:postgresql://127.0.0.1:5432/gatehouse
        user: gatehouse
        password: ${env:GATEHOUSE_CONTROL_PASSWORD}
      audit:
        key: ${env:GATEHOUSE_AUDIT_KEY}
        spoolDirectory: spool
      mcp:
        database: shop
      masking: {}
      """;
}
