package dev.gatehouse.gateway.cli;

import dev.gatehouse.engine.audit.AuditPage;
import dev.gatehouse.engine.audit.AuditSearch;
import dev.gatehouse.engine.audit.ControlDatabase;
import dev.gatehouse.engine.audit.StatementRecord;
import dev.gatehouse.gateway.audit.AuditFilters;
import dev.gatehouse.gateway.config.GatewayConfig;
import dev.gatehouse.gateway.config.GatewayConfigReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse audit search}: statement records matching every given filter. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = "Find statement records; every filter given must match.")
public final class AuditSearchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "the gateway config file (YAML)")
  Path config;

  @Option(names = "--subject", description = "the identity's subject")
  String subject;

  @Option(names = "--issuer", description = "the identity's issuer")
  String issuer;

  @Option(names = "--group", description = "a group of the identity")
  String group;

  @Option(names = "--table", description = "a table touched, schema.table")
  String table;

  @Option(names = "--kind", description = "a command tag (SELECT, DROP TABLE) or statement class")
  String kind;

  @Option(names = "--decision", description = "allow, deny or require-approval")
  String decision;

  @Option(names = "--rule", description = "a rule id that decided")
  String rule;

  @Option(names = "--masked-column", description = "schema.table.column masked in the result")
  String maskedColumn;

  @Option(names = "--since", description = "e.g. 30d, 12h, 2026-11-01 or an ISO instant")
  String since;

  @Option(names = "--until", description = "exclusive end, same forms as --since")
  String until;

  @Option(names = "--text", description = "a substring of the SQL (case-insensitive)")
  String text;

  @Option(names = "--limit", defaultValue = "100", description = "records per page, 1 to 1000")
  String limit;

  @Option(names = "--cursor", description = "the next-page cursor a previous search printed")
  String cursor;

  @Option(names = "--format", defaultValue = "table", description = "table, json or csv")
  String format;

  @Override
  public Integer call() throws SQLException {
    Map<String, String> filters = new LinkedHashMap<>();
    filters.put("subject", subject);
    filters.put("issuer", issuer);
    filters.put("group", group);
    filters.put("table", table);
    filters.put("kind", kind);
    filters.put("decision", decision);
    filters.put("rule", rule);
    filters.put("masked-column", maskedColumn);
    filters.put("since", since);
    filters.put("until", until);
    filters.put("text", text);
    filters.put("limit", limit);
    filters.put("cursor", cursor);
    var query = AuditFilters.query(filters, Instant.now());
    if (!List.of("table", "json", "csv").contains(format)) {
      throw new IllegalArgumentException("unknown format `" + format + "`; use table, json or csv");
    }
    GatewayConfig cfg = new GatewayConfigReader().read(config);
    AuditPage page;
    try (ControlDatabase db = ControlDatabase.open(cfg.control())) {
      page = new AuditSearch(db.dataSource()).search(query);
    }
    PrintWriter out = spec.commandLine().getOut();
    switch (format) {
      case "json" -> {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("nextCursor", page.nextCursor());
        out.println(Json.write(body));
      }
      case "csv" -> {
        out.println("at,subject,issuer,channel,database,decision,rules,tables,rows,masked,sql");
        for (StatementRecord r : page.items()) {
          out.println(
              String.join(
                  ",",
                  Tables.csv(r.at().toString()),
                  Tables.csv(r.subject()),
                  Tables.csv(r.issuer()),
                  Tables.csv(r.channel()),
                  Tables.csv(r.database()),
                  Tables.csv(r.decision()),
                  Tables.csv(String.join(" ", r.ruleIds())),
                  Tables.csv(String.join(" ", r.tables())),
                  Tables.csv(r.outcome() == null ? "" : String.valueOf(r.outcome().rows())),
                  Tables.csv(
                      r.outcome() == null ? "" : String.join(" ", r.outcome().maskedColumns())),
                  Tables.csv(r.sql())));
        }
      }
      default -> {
        Tables t =
            new Tables(
                "AT", "SUBJECT", "CHANNEL", "DECISION", "RULES", "STATEMENTS", "ROWS", "SQL");
        for (StatementRecord r : page.items()) {
          t.row(
              r.at().toString(),
              r.subject(),
              r.channel(),
              r.decision(),
              String.join(",", r.ruleIds()),
              Tables.kinds(r.statementKinds()),
              r.outcome() == null ? "-" : String.valueOf(r.outcome().rows()),
              Tables.shorten(r.sql(), 48));
        }
        t.print(out);
        if (page.nextCursor() != null) {
          out.println("more: --cursor " + page.nextCursor());
        }
      }
    }
    out.flush();
    return 0;
  }
}
