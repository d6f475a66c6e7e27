package dev.gatehouse.engine.masking.catalog;

import dev.gatehouse.engine.sql.AnalysisContext;
import dev.gatehouse.engine.sql.ColumnRef;
import dev.gatehouse.engine.sql.OutputColumn;
import dev.gatehouse.engine.sql.TableRef;
import dev.gatehouse.engine.sql.lineage.LineageResolver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;

/**
 * Which base columns each column of a view exposes: its definition ({@code pg_get_viewdef}) run
 * through the same lineage as queries. When the definition cannot be analysed, every column of the
 * view counts as exposing every column of every relation the view depends on (pg_depend).
 */
final class ViewLineage {

  private static final String DEFINITION =
      "SELECT pg_catalog.pg_get_viewdef(?::oid), pg_catalog.current_schemas(false)";
  private static final String DEPENDENCIES =
      "SELECT DISTINCT n.nspname, c.relname FROM pg_catalog.pg_rewrite r"
          + " JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass"
          + " AND d.objid = r.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass"
          + " JOIN pg_catalog.pg_class c ON c.oid = d.refobjid"
          + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE r.ev_class = ? AND d.refobjid <> r.ev_class";

  private ViewLineage() {}

  static Map<String, OutputColumn> of(Connection c, RelationInfo view) throws SQLException {
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
    List<OutputColumn> lineage = parse(definition, searchPath);
    Map<String, OutputColumn> out = new HashMap<>();
    if (lineage != null && lineage.size() == columns.size()) {
      for (int i = 0; i < columns.size(); i++) {
        OutputColumn l = lineage.get(i);
        out.put(columns.get(i), new OutputColumn(columns.get(i), l.sources(), l.opaque()));
      }
      return out;
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
    return out;
  }

  private static List<OutputColumn> parse(String definition, List<String> searchPath) {
    if (definition == null) {
      return null;
    }
    String sql = definition.strip();
    if (sql.endsWith(";")) {
      sql = sql.substring(0, sql.length() - 1);
    }
    try {
      List<OutputColumn> columns =
          LineageResolver.outputColumns(
              CCJSqlParserUtil.parse(sql), new AnalysisContext(searchPath));
      boolean star = columns.stream().anyMatch(o -> o.name().equals(LineageResolver.ALL_COLUMNS));
      return star ? null : columns;
    } catch (JSQLParserException | RuntimeException e) {
      return null;
    }
  }
}
