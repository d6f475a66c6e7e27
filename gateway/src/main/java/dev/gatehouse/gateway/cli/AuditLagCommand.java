package dev.gatehouse.gateway.cli;

import dev.gatehouse.engine.audit.AuditConfig;
import dev.gatehouse.engine.audit.AuditLag;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.audit.LogLag;
import dev.gatehouse.engine.audit.LogSettings;
import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse audit lag}: how far the control database is behind the local audit log. */
@Command(
    name = "lag",
    mixinStandardHelpOptions = true,
    description =
        "Print how many records, bytes and seconds of this instance's local audit log are not"
            + " in the control database yet.")
public final class AuditLagCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "the gateway config file (YAML)")
  Path config;

  @Override
  public Integer call() throws SQLException, IOException {
    GatewayConfig cfg = new GatewayConfigReader().read(config);
    AuditConfig audit = cfg.audit();
    PrintWriter out = spec.commandLine().getOut();
    if (audit.log().durability() == LogSettings.Durability.CONTROL_DATABASE) {
      out.println(
          "audit durability is `control-database`: records are committed there directly, no lag");
      out.flush();
      return 0;
    }
    AuditLag lag;
    try (ControlDatabase db = ControlDatabase.open(cfg.control())) {
      lag = LogLag.measure(db.dataSource(), audit.instanceId(), audit.log().directory());
    }
    out.println(
        String.format(
            Locale.ROOT,
            "chain `%s`, log `%s`: %d records, %d bytes, %.1f s not shipped yet",
            audit.instanceId(),
            audit.log().directory(),
            lag.records(),
            lag.bytes(),
            lag.seconds()));
    out.flush();
    return 0;
  }
}
