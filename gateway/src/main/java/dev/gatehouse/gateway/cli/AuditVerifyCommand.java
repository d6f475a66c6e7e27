package dev.gatehouse.gateway.cli;

import dev.gatehouse.engine.audit.AuditVerifier;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.audit.LogSettings;
import dev.gatehouse.engine.audit.VerifyReport;
import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse audit verify}: walks every hash chain; names the first bad record. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Check every record of the audit trail against its hash chain and key; exits 1 and names"
            + " the first changed, deleted or inserted record of each chain.")
public final class AuditVerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "the gateway config file (YAML)")
  Path config;

  @Override
  public Integer call() throws SQLException, java.io.IOException {
    GatewayConfig cfg = new GatewayConfigReader().read(config);
    VerifyReport report;
    try (ControlDatabase db = ControlDatabase.open(cfg.control())) {
      AuditVerifier verifier = new AuditVerifier(db.dataSource(), cfg.audit().key());
      // With a local log, its records not yet shipped are checked too (read only; the gateway
      // may be running).
      report =
          cfg.audit().log().durability() == LogSettings.Durability.LOCAL_LOG
                  && java.nio.file.Files.isDirectory(cfg.audit().log().directory())
              ? verifier.verify(
                  java.util.List.of(), cfg.audit().instanceId(), cfg.audit().log().directory())
              : verifier.verify();
    }
    PrintWriter out = spec.commandLine().getOut();
    for (VerifyReport.Chain chain : report.chains()) {
      VerifyReport.Problem p = chain.firstProblem();
      out.println(
          "chain `"
              + chain.instanceId()
              + "`: "
              + chain.records()
              + " records"
              + (p == null
                  ? ", intact"
                  : ", TAMPERED at record "
                      + p.seq()
                      + (p.recordId() == null ? "" : " (" + p.recordId() + ")")
                      + ": "
                      + p.type().name().toLowerCase(Locale.ROOT)
                      + ": "
                      + p.message()));
    }
    out.println(
        report.ok()
            ? "audit trail intact: " + report.records() + " records verified"
            : "audit trail TAMPERED: " + report.problems().size() + " chain(s) with problems");
    out.flush();
    return report.ok() ? 0 : 1;
  }
}
