package dev.gatehouse.gateway.config;

import dev.gatehouse.engine.audit.AuditConfig;
import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.engine.audit.LogSettings;
import dev.gatehouse.engine.audit.ParamMode;
import dev.gatehouse.engine.audit.RecordBounds;
import dev.gatehouse.engine.audit.log.Fsync;
import dev.gatehouse.engine.policy.yaml.YamlObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The {@code audit} section: the chain, its key, and where a record becomes durable. */
final class AuditSection {

  private AuditSection() {}

  static AuditConfig read(YamlObject a, Path base) {
    a.fields(
        "`instanceId`, `key`, `spoolDirectory`, `params`, `failOpen`, `durableTimeout`,"
            + " `synchronousCommit`, `durability`, `log`, `ship`, `retention`, `record`");
    String keyText = a.secret("key");
    AuditKey key = GatewayConfigReader.build(a, "key", () -> AuditKey.fromBase64(keyText));
    Path spool = base.resolve(a.string("spoolDirectory", "spool"));
    List<ParamMode> params =
        a.enums(
            "params",
            s -> ParamMode.valueOf(s.toUpperCase(Locale.ROOT)),
            "`clear`, `hmac`, `omit`");
    Duration durable = a.duration("durableTimeout", Duration.ofSeconds(2));
    boolean synchronousCommit = a.bool("synchronousCommit", true);
    LogSettings log = log(a, base);
    RecordBounds bounds = bounds(a);
    return GatewayConfigReader.build(
        a,
        "instanceId",
        () -> {
          AuditConfig config =
              AuditConfig.defaults(a.string("instanceId", "gatehouse-1"), key, spool)
                  .withFailOpen(Set.copyOf(a.strings("failOpen")))
                  .withLog(log)
                  .withBounds(bounds);
          config =
              config
                  .withTimings(config.batchWindow(), durable, config.retryInterval())
                  .withSynchronousCommit(synchronousCommit);
          return params.isEmpty() ? config : config.withParamMode(params.get(0));
        });
  }

  /** {@code record}: how much statement text and parameter text one audit record keeps. */
  private static RecordBounds bounds(YamlObject a) {
    YamlObject r = a.object("record", true);
    if (r == null) {
      return RecordBounds.DEFAULTS;
    }
    r.fields("`maxSqlChars`, `maxParamChars`");
    int sql = chars(r, "maxSqlChars");
    int params = chars(r, "maxParamChars");
    return new RecordBounds(sql, params);
  }

  private static int chars(YamlObject r, String field) {
    int value = r.integer(field, RecordBounds.DEFAULT_CHARS);
    if (value < RecordBounds.MIN_CHARS || value > RecordBounds.MAX_CHARS) {
      throw r.error(
          field,
          "must be between "
              + RecordBounds.MIN_CHARS
              + " and "
              + RecordBounds.MAX_CHARS
              + " characters, got "
              + value);
    }
    return value;
  }

  /** {@code durability}, {@code log}, {@code ship} and {@code retention}. */
  private static LogSettings log(YamlObject a, Path base) {
    String durabilityText = a.string("durability", "local-log");
    LogSettings.Durability durability =
        switch (durabilityText) {
          case "local-log" -> LogSettings.Durability.LOCAL_LOG;
          case "control-database" -> LogSettings.Durability.CONTROL_DATABASE;
          default ->
              throw a.error(
                  "durability",
                  "`" + durabilityText + "` is not one of `local-log`, `control-database`");
        };
    LogSettings d = LogSettings.localLog(base.resolve("audit-log"));
    YamlObject log = a.object("log", true);
    Path directory = d.directory();
    Fsync fsync = d.fsync();
    Duration interval = d.fsyncInterval();
    if (log != null) {
      log.fields("`directory`, `fsync`, `fsyncIntervalMs`");
      directory = base.resolve(log.string("directory", "audit-log"));
      String fsyncText = log.string("fsync", "interval");
      fsync = GatewayConfigReader.build(log, "fsync", () -> Fsync.parse(fsyncText));
      int ms = log.integer("fsyncIntervalMs", (int) d.fsyncInterval().toMillis());
      if (ms < 1) {
        throw log.error("fsyncIntervalMs", "must be at least 1, got " + ms);
      }
      interval = Duration.ofMillis(ms);
    }
    YamlObject ship = a.object("ship", true);
    long maxRecords = d.maxLagRecords();
    Duration maxSeconds = d.maxLagSeconds();
    if (ship != null) {
      ship.fields("`maxLagRecords`, `maxLagSeconds`");
      maxRecords = ship.longValue("maxLagRecords", maxRecords);
      if (maxRecords < 1) {
        throw ship.error("maxLagRecords", "must be at least 1, got " + maxRecords);
      }
      int seconds = ship.integer("maxLagSeconds", (int) maxSeconds.toSeconds());
      if (seconds < 1) {
        throw ship.error("maxLagSeconds", "must be at least 1, got " + seconds);
      }
      maxSeconds = Duration.ofSeconds(seconds);
    }
    Duration retention = a.duration("retention", null);
    if (retention != null && retention.compareTo(Duration.ofDays(1)) < 0) {
      throw a.error("retention", "must be at least 1d (whole days are dropped), got " + retention);
    }
    return new LogSettings(
        durability, directory, fsync, interval, maxRecords, maxSeconds, retention);
  }
}
