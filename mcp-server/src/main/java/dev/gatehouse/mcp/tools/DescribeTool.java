package dev.gatehouse.mcp.tools;

import dev.gatehouse.engine.admission.Refusal;
import dev.gatehouse.engine.admission.RefusalText;
import dev.gatehouse.engine.admission.Run;
import dev.gatehouse.engine.masking.AppliedMask;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.model.TableRef;
import dev.gatehouse.mcp.exec.Catalog;
import dev.gatehouse.mcp.exec.UpstreamUnavailable;
import dev.gatehouse.mcp.tools.ToolResults.ErrorKind;
import io.modelcontextprotocol.spec.McpSchema;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code describe}: the schemas, tables and views the caller may read, with columns, keys,
 * comments, estimated row counts and which columns come back masked. Each relation is shown only
 * when the gate allows {@code SELECT * FROM} it for the caller; the call is recorded once, as a
 * catalog read naming the relations it disclosed.
 */
public final class DescribeTool implements GovernedTool {

  private final GatedStatements gated;
  private final Catalog catalog;
  private final McpSchema.Tool definition;

  public DescribeTool(GatedStatements gated, Catalog catalog) {
    this.gated = gated;
    this.catalog = catalog;
    this.definition = define(gated.config().database());
  }

  static McpSchema.Tool define(String database) {
    var column =
        Schemas.object(
            Schemas.props(
                "name", Schemas.type("string"),
                "type", Schemas.type("string"),
                "nullable", Schemas.type("boolean"),
                "primary_key", Schemas.type("boolean"),
                "masked", Schemas.type("boolean"),
                "comment", Schemas.nullable("string")),
            List.of("name", "type", "nullable", "primary_key", "masked", "comment"));
    var constraint =
        Schemas.object(
            Schemas.props(
                "name", Schemas.type("string"),
                "type",
                    Map.of(
                        "type", "string", "enum", List.of("primary_key", "unique", "foreign_key")),
                "columns", Schemas.arrayOf(Schemas.type("string")),
                "definition", Schemas.type("string")),
            List.of("name", "type", "columns", "definition"));
    var relation =
        Schemas.object(
            Schemas.props(
                "name", Schemas.type("string"),
                "kind", Schemas.type("string"),
                "comment", Schemas.nullable("string"),
                "estimated_rows", Schemas.nullable("integer"),
                "columns", Schemas.arrayOf(column),
                "constraints", Schemas.arrayOf(constraint)),
            List.of("name", "kind", "comment", "estimated_rows", "columns", "constraints"));
    var schema =
        Schemas.object(
            Schemas.props("name", Schemas.type("string"), "relations", Schemas.arrayOf(relation)),
            List.of("name", "relations"));
    var output =
        Schemas.result(
            Schemas.props(
                "database", Schemas.type("string"),
                "schemas", Schemas.arrayOf(schema),
                "audit_ids", Schemas.arrayOf(Schemas.type("string"))),
            List.of("database", "schemas", "audit_ids"));
    return McpSchema.Tool.builder()
        .name("describe")
        .title("Describe the database (governed)")
        .description(
            "Lists the schemas, tables and views of the `"
                + database
                + "` PostgreSQL database"
                + " that you may read, with columns (type, nullability, primary key, comment),"
                + " key constraints, estimated row counts, and `masked: true` on columns whose"
                + " values `query` returns masked for you. Narrow it with `schema` and `table`."
                + " Objects you may not read are not shown.")
        .inputSchema(
            Schemas.object(
                Schemas.props(
                    "schema", Schemas.string("only this schema, e.g. `app`"),
                    "table", Schemas.string("only this table or view (name without schema)")),
                List.of()))
        .outputSchema(output)
        .annotations(
            new McpSchema.ToolAnnotations("Describe the database", true, false, true, false, null))
        .build();
  }

  @Override
  public McpSchema.Tool definition() {
    return definition;
  }

  @Override
  public boolean visibleTo(CallContext caller) {
    return true;
  }

  @Override
  public McpSchema.CallToolResult call(CallContext caller, Map<String, Object> arguments) {
    Arguments args = new Arguments("describe", arguments, Set.of("schema", "table"));
    String schemaFilter = args.optionalText("schema");
    String tableFilter = args.optionalText("table");
    Verdict probe = gated.decide(caller, QueryTool.PROBE);
    if (probe.decision().effect() != Effect.ALLOW) {
      // The refused catalog read is on record too, with nothing disclosed.
      Run record = record(caller, probe, List.of());
      // The one rendering of a refusal for a tool result (the policy's sentence says what to do).
      Refusal refusal = Refusal.of(probe);
      return ToolResults.error(
          refusal instanceof Refusal.Denied ? ErrorKind.DENIED : ErrorKind.UNAVAILABLE,
          RefusalText.tool(refusal),
          probe.decision(),
          record.id(),
          Map.of("sqlstate", refusal.sqlState().code()));
    }
    String database = caller.request().database();
    String role = probe.decision().obligations().upstreamRole();
    try {
      List<Allowed> allowed = new ArrayList<>();
      for (Catalog.Relation r : catalog.relations(database, role, schemaFilter, tableFilter)) {
        Verdict v =
            gated.decide(caller, "SELECT * FROM " + ident(r.schema()) + "." + ident(r.name()));
        if (v.decision().effect() == Effect.ALLOW) {
          allowed.add(new Allowed(r, v));
        }
      }
      Map<Long, Catalog.Details> details =
          allowed.isEmpty()
              ? Map.of()
              : catalog.details(
                  database, role, allowed.stream().map(a -> a.relation().oid()).toList());
      return render(caller, probe, allowed, details);
    } catch (UpstreamUnavailable e) {
      return ToolResults.error(
          ErrorKind.UNAVAILABLE,
          e.getMessage(),
          probe.decision(),
          null,
          Map.of("sqlstate", e.getSQLState()));
    } catch (SQLException e) {
      return ToolResults.error(
          ErrorKind.SQL_ERROR,
          "the catalog could not be read (SQLSTATE " + e.getSQLState() + "): " + e.getMessage(),
          probe.decision(),
          null,
          Map.of());
    }
  }

  /** One record for the whole call: a catalog read of what it disclosed (ADR 0009). */
  private Run record(CallContext caller, Verdict allowedBy, List<Allowed> disclosed) {
    return gated
        .gate()
        .catalogRead(
            caller.principal(),
            caller.request(),
            caller.sessionId(),
            allowedBy,
            disclosed.stream()
                .map(a -> new TableRef(a.relation().schema(), a.relation().name()))
                .toList());
  }

  private record Allowed(Catalog.Relation relation, Verdict verdict) {}

  private McpSchema.CallToolResult render(
      CallContext caller,
      Verdict probe,
      List<Allowed> allowed,
      Map<Long, Catalog.Details> details) {
    Map<String, List<Map<String, Object>>> bySchema = new LinkedHashMap<>();
    StringBuilder text = new StringBuilder();
    for (Allowed a : allowed) {
      Catalog.Relation r = a.relation();
      Catalog.Details d = details.get(r.oid());
      Set<String> masked = maskedColumns(a.verdict(), r, d, caller.request().database());
      Set<String> pk = new java.util.HashSet<>();
      d.constraints().stream()
          .filter(c -> c.type().equals("primary_key"))
          .forEach(c -> pk.addAll(c.columns()));
      List<Map<String, Object>> columns = new ArrayList<>();
      text.append(esc(r.schema())).append('.').append(esc(r.name())).append(" (").append(r.kind());
      if (r.estimatedRows() != null) {
        text.append(", ~").append(r.estimatedRows()).append(" rows");
      }
      text.append(')');
      if (r.comment() != null) {
        text.append(" -- ").append(esc(r.comment()));
      }
      text.append('\n');
      for (Catalog.Column c : d.columns()) {
        Map<String, Object> col = new LinkedHashMap<>();
        col.put("name", c.name());
        col.put("type", c.type());
        col.put("nullable", c.nullable());
        col.put("primary_key", pk.contains(c.name()));
        col.put("masked", masked.contains(c.name()));
        col.put("comment", c.comment());
        columns.add(col);
        text.append("  ")
            .append(esc(c.name()))
            .append(' ')
            .append(esc(c.type()))
            .append(c.nullable() ? "" : " not null")
            .append(pk.contains(c.name()) ? " primary key" : "")
            .append(masked.contains(c.name()) ? " (masked)" : "")
            .append(c.comment() == null ? "" : " -- " + esc(c.comment()))
            .append('\n');
      }
      List<Map<String, Object>> constraints = new ArrayList<>();
      for (Catalog.Constraint c : d.constraints()) {
        constraints.add(
            Map.of(
                "name",
                c.name(),
                "type",
                c.type(),
                "columns",
                c.columns(),
                "definition",
                c.definition()));
        if (!c.type().equals("primary_key")) {
          text.append("  ").append(esc(c.definition())).append('\n');
        }
      }
      Map<String, Object> rel = new LinkedHashMap<>();
      rel.put("name", r.name());
      rel.put("kind", r.kind());
      rel.put("comment", r.comment());
      rel.put("estimated_rows", r.estimatedRows());
      rel.put("columns", columns);
      rel.put("constraints", constraints);
      bySchema.computeIfAbsent(r.schema(), k -> new ArrayList<>()).add(rel);
    }
    Run record = record(caller, probe, allowed);
    try {
      record.durable().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return ToolResults.error(
          ErrorKind.UNAVAILABLE,
          RefusalText.tool(new Refusal.AuditUnavailable()),
          null,
          record.id(),
          Map.of());
    }
    List<Map<String, Object>> schemas = new ArrayList<>();
    bySchema.forEach((name, rels) -> schemas.add(Map.of("name", name, "relations", rels)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("database", caller.request().database());
    out.put("schemas", schemas);
    out.put("audit_ids", List.of(record.id().toString()));
    UntrustedData.Boundaries boundaries = new UntrustedData.Boundaries();
    String rendered =
        allowed.isEmpty()
            ? "no table or view you may read matches"
            : boundaries.wrap("names and comments", text.toString());
    return ToolResults.success(out, rendered, boundaries);
  }

  /** Names, types and comments are written by whoever may create or comment on objects. */
  private static String esc(String value) {
    return UntrustedData.escape(value);
  }

  private Set<String> maskedColumns(
      Verdict verdict, Catalog.Relation r, Catalog.Details d, String database) {
    List<ResultColumn> columns = new ArrayList<>();
    for (Catalog.Column c : d.columns()) {
      columns.add(
          new ResultColumn(
              c.name(),
              (int) r.oid(),
              c.number(),
              c.typeOid(),
              c.typeSize(),
              c.typeModifier(),
              ResultColumn.TEXT));
    }
    MaskPlan plan = gated.gate().maskPlan(verdict, columns, database);
    Set<String> masked = new java.util.HashSet<>();
    for (AppliedMask m : plan.applied()) {
      masked.add(m.outputColumn());
    }
    return masked;
  }

  private static String ident(String name) {
    // Plain names stay plain, as a person would write them; anything else is quoted.
    return name.matches("[a-z_][a-z0-9_]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
