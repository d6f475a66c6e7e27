package dev.gatehouse.gateway.cli;

import dev.gatehouse.engine.audit.AuditSearch;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.policy.Policy;
import dev.gatehouse.engine.policy.PolicyLoader;
import dev.gatehouse.gateway.audit.AuditFilters;
import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import dev.gatehouse.gateway.review.AccessReview;
import dev.gatehouse.gateway.review.ReviewFormats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse review}: access reviews. */
@Command(
    name = "review",
    mixinStandardHelpOptions = true,
    description = "Access reviews from the audit trail.",
    subcommands = {ReviewCommand.Report.class})
public final class ReviewCommand {

  /** {@code gatehouse review report}. */
  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description =
          "A summary, the flags (credential-catalog attempts, denials, idle identities, rules"
              + " that granted nothing), then per identity: tables read and tables only attempted,"
              + " statement classes, first and last seen, rows read, masked columns, denials,"
              + " approvals requested, granted and denied, and decided for others.")
  static final class Report implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--config", required = true, description = "the gateway config file (YAML)")
    Path config;

    @Option(names = "--since", defaultValue = "30d", description = "start: 30d, 12h, a date...")
    String since;

    @Option(names = "--format", defaultValue = "md", description = "md, csv, json or html")
    String format;

    @Override
    public Integer call() throws SQLException {
      Instant now = Instant.now();
      Instant from = AuditFilters.time(since, now);
      if (!List.of("md", "csv", "json", "html").contains(format)) {
        throw new IllegalArgumentException(
            "unknown format `" + format + "`; use md, csv, json or html");
      }
      GatewayConfig cfg = new GatewayConfigReader().read(config);
      Policy policy = new PolicyLoader(System::getenv).load(cfg.policyFile());
      AccessReview review;
      try (ControlDatabase db = ControlDatabase.open(cfg.control())) {
        review =
            AccessReview.build(
                new AuditSearch(db.dataSource()),
                db.dataSource(),
                cfg.control().schema(),
                policy,
                from,
                now);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(
          switch (format) {
            case "csv" -> ReviewFormats.csv(review);
            case "json" -> Json.write(review) + "\n";
            case "html" -> ReviewFormats.html(review);
            default -> ReviewFormats.markdown(review);
          });
      out.flush();
      return 0;
    }
  }
}
