package dev.gatehouse.engine.masking.catalog;

import dev.gatehouse.engine.sql.lineage.LineageResolver;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * Which base columns each column of a view exposes: its definition ({@code pg_get_viewdef}) run
 * through the same lineage as queries. When the definition cannot be analysed, every column of the
 * view counts as exposing every column of every relation the view depends on (pg_depend).
 */
record ViewLineage(Map<String, OutputColumn> columns, Set<String> plainColumns) {

  private static final String DEFINITION =
      "SELECT pg_catalog.pg_get_viewdef(?::oid), pg_catalog.current_schemas(false)";
  private static final String DEPENDENCIES =
      "SELECT DISTINCT n.nspname, c.relname FROM pg_catalog.pg_rewrite r"
          + " JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass"
          + " AND d.objid = r.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass"
          + " JOIN pg_catalog.pg_class c ON c.oid = d.refobjid"
          + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE r.ev_class = ? AND d.refobjid <> r.ev_class";

  static ViewLineage of(Connection c, RelationInfo view) throws SQLException {
    List<String> columns = view.columns().stream().filter(n -> n != null).toList();
    String definition;
    List<String> searchPath;
    try (PreparedStatement ps = c.prepareStatement(DEFINITION)) {
      ps.setLong(1, view.oid() & 0xffffffffL);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        definition = rs.getString(1);
        searchPath = Arrays.asList((String[]) rs.getArray(2).getArray());
      }
    }
    Statement parsed = parse(definition);
    List<OutputColumn> lineage = lineage(parsed, searchPath);
    Map<String, OutputColumn> out = new HashMap<>();
    if (lineage != null && lineage.size() == columns.size()) {
      Set<String> plain = new HashSet<>();
      for (int i = 0; i < columns.size(); i++) {
        OutputColumn l = lineage.get(i);
        out.put(columns.get(i), new OutputColumn(columns.get(i), l.sources(), l.opaque()));
        if (isPlainColumn(parsed, i)) {
          plain.add(columns.get(i));
        }
      }
      return new ViewLineage(out, plain);
    }
    Set<ColumnRef> everything = new LinkedHashSet<>();
    try (PreparedStatement ps = c.prepareStatement(DEPENDENCIES)) {
      ps.setLong(1, view.oid() & 0xffffffffL);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          everything.add(
              new ColumnRef(
                  new TableRef(rs.getString(1), rs.getString(2)), LineageResolver.ALL_COLUMNS));
        }
      }
    }
    for (String column : columns) {
      out.put(column, new OutputColumn(column, everything, false));
    }
    return new ViewLineage(out, Set.of());
  }

  /** True when select item {@code i} of a plain SELECT is a bare column reference. */
  private static boolean isPlainColumn(Statement view, int i) {
    return view instanceof PlainSelect select
        && select.getSelectItems().size() > i
        && select.getSelectItems().get(i).getExpression() instanceof Column;
  }

  private static Statement parse(String definition) {
    if (definition == null) {
      return null;
    }
    String sql = definition.strip();
    if (sql.endsWith(";")) {
      sql = sql.substring(0, sql.length() - 1);
    }
    try {
      return CCJSqlParserUtil.parse(sql);
    } catch (JSQLParserException | RuntimeException e) {
      return null;
    }
  }

  private static List<OutputColumn> lineage(Statement view, List<String> searchPath) {
    if (view == null) {
      return null;
    }
    try {
      List<OutputColumn> columns =
          LineageResolver.outputColumns(view, new AnalysisContext(searchPath));
      boolean star = columns.stream().anyMatch(o -> o.name().equals(LineageResolver.ALL_COLUMNS));
      return star ? null : columns;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
