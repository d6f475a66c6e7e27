package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.masking.catalog.Catalog;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.lineage.LineageResolver;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.ColumnUse;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An analysis whose sources also name what they stand for in the catalog: a view column the base
 * columns it exposes (through views of views), a view's whole row the whole rows of its base
 * tables. Analysis alone cannot see that a view's {@code x} is {@code app.customers.ssn}, so
 * inference control, write control and error redaction decide on this analysis, where the base
 * column appears beside the view column. Sources are only ever added, never removed, so whatever
 * matched before still matches.
 */
public final class CatalogLineage {

  private CatalogLineage() {}

  /**
   * {@code analysis} with every use's and output column's sources expanded through {@code catalog}.
   *
   * @throws dev.gatehouse.engine.masking.catalog.CatalogException when the catalog cannot be read
   */
  public static Analysis expand(Analysis analysis, Catalog catalog, String database) {
    List<StatementInfo> statements = new ArrayList<>();
    boolean changed = false;
    for (StatementInfo s : analysis.statements()) {
      List<OutputColumn> outputs = new ArrayList<>();
      for (OutputColumn c : s.outputColumns()) {
        Set<ColumnRef> sources = expanded(c, catalog, database);
        outputs.add(
            sources.equals(c.sources()) ? c : new OutputColumn(c.name(), sources, c.opaque()));
      }
      List<ColumnUse> uses = new ArrayList<>();
      for (ColumnUse u : s.uses()) {
        Set<ColumnRef> sources =
            union(u.sources(), expander(catalog, database).expand(u.sources()));
        if (u.isWrite() && computedViewColumn(u.sources(), catalog, database)) {
          // A view column computed from its table's (reverse(card_number) AS card_number) is no
          // copy of it, whatever the written expression looks like (red-team round 6, F1).
          sources = union(sources, Set.of(LineageResolver.TRANSFORMED_OPAQUE));
        }
        uses.add(
            sources.equals(u.sources())
                ? u
                : new ColumnUse(u.clause(), u.expression(), sources, u.lookup(), u.writtenTo()));
      }
      boolean same = outputs.equals(s.outputColumns()) && uses.equals(s.uses());
      changed |= !same;
      statements.add(
          same
              ? s
              : new StatementInfo(
                  s.sql(),
                  s.commandTag(),
                  s.statementClass(),
                  s.tablesRead(),
                  s.tablesWritten(),
                  s.functions(),
                  s.settings(),
                  s.riskFlags(),
                  outputs,
                  uses));
    }
    return changed
        ? new Analysis(analysis.sql(), statements, analysis.fingerprint(), analysis.exceeded())
        : analysis;
  }

  /**
   * An output column's sources with what they stand for. A star entry (a relation's {@code *},
   * standing for however many result columns) keeps its shape for the mask planner, which lines it
   * up with the result by column name: it gains the whole rows of the base tables behind it rather
   * than single columns.
   */
  private static Set<ColumnRef> expanded(OutputColumn c, Catalog catalog, String database) {
    Set<ColumnRef> base = expander(catalog, database).expand(c.sources());
    if (!c.name().equals(LineageResolver.ALL_COLUMNS)) {
      return union(c.sources(), base);
    }
    Set<ColumnRef> rows = new LinkedHashSet<>(c.sources());
    Set<TableRef> named = new LinkedHashSet<>();
    c.sources().forEach(s -> named.add(s.table()));
    for (ColumnRef b : base) {
      if (!b.equals(LineageResolver.TRANSFORMED_OPAQUE) && !named.contains(b.table())) {
        rows.add(new ColumnRef(b.table(), LineageResolver.ALL_COLUMNS));
      }
    }
    return rows;
  }

  /** The system columns every table has besides those the catalog lists as its columns. */
  private static final Set<String> SYSTEM_COLUMNS =
      Set.of("tableoid", "xmin", "cmin", "xmax", "cmax", "ctid", "oid");

  /**
   * Catalog relations are left out: clients' catalog queries (psql, pgjdbc's metadata, pg_dump)
   * name output aliases and functions' columns that analysis places on a catalog relation, and
   * their data channels have rules of their own (masking.CatalogChannels).
   */
  private static final Set<String> SYSTEM_SCHEMAS = Set.of("pg_catalog", "information_schema");

  /**
   * SQL's value functions, which a parser may take for column names, and {@code DEFAULT} (of {@code
   * SET col = DEFAULT}: red-team round 6 saw it refused as no column).
   */
  private static final Set<String> VALUE_FUNCTIONS =
      Set.of(
          "default",
          "current_user",
          "session_user",
          "user",
          "current_role",
          "current_catalog",
          "current_schema",
          "current_date",
          "current_time",
          "current_timestamp",
          "localtime",
          "localtimestamp",
          "system_user");

  /**
   * The first source of {@code analysis} that names a relation of the catalog and a column it does
   * not have, or null. PostgreSQL reads {@code c.name}, when {@code name} is no column of {@code
   * c}, as the call {@code name(c)} of a function on the whole row (red-team T1–T10: {@code
   * c.record_out} returned every column of app.customers in clear, and {@code o.f} ran a writing
   * function unseen). Analysis cannot tell the two apart without the catalog.
   *
   * @throws dev.gatehouse.engine.masking.catalog.CatalogException when the catalog cannot be read
   */
  public static ColumnRef unknownAttribute(Analysis analysis, Catalog catalog, String database) {
    for (StatementInfo s : analysis.statements()) {
      List<ColumnRef> sources = new ArrayList<>();
      s.outputColumns().forEach(c -> sources.addAll(c.sources()));
      s.uses().forEach(u -> sources.addAll(u.sources()));
      List<ColumnRef> unknown = unknownNames(sources, s.tablesRead(), catalog, database);
      if (!unknown.isEmpty()) {
        return unknown.getFirst();
      }
    }
    return null;
  }

  /**
   * For each name in {@code sources} that no relation named there has as a column (PostgreSQL's
   * attribute notation, a function on the whole row): that relation's whole row, which the masks of
   * its columns then cover.
   */
  static Set<ColumnRef> attributeRows(Set<ColumnRef> sources, Catalog catalog, String database) {
    Set<ColumnRef> rows = new LinkedHashSet<>();
    for (ColumnRef ref : unknownNames(sources, Set.of(), catalog, database)) {
      rows.add(new ColumnRef(ref.table(), LineageResolver.ALL_COLUMNS));
    }
    return rows;
  }

  /**
   * The sources that name a relation of the catalog and a column that no relation among them (and
   * {@code alsoRead}) has. An unqualified name is counted against every relation it might belong
   * to, so a name is an attribute call only when no relation in reach has such a column.
   */
  private static List<ColumnRef> unknownNames(
      java.util.Collection<ColumnRef> sources,
      Set<TableRef> alsoRead,
      Catalog catalog,
      String database) {
    Set<TableRef> tables = new LinkedHashSet<>(alsoRead);
    sources.forEach(r -> tables.add(r.table()));
    List<dev.gatehouse.engine.masking.catalog.RelationInfo> relations = new ArrayList<>();
    for (TableRef t : tables) {
      var relation = t.schema() == null ? null : catalog.relation(database, t);
      if (relation != null) {
        relations.add(relation);
      }
    }
    List<ColumnRef> unknown = new ArrayList<>();
    for (ColumnRef ref : sources) {
      String column = ref.column();
      if (ref.equals(LineageResolver.TRANSFORMED_OPAQUE)
          || column.equals(LineageResolver.ALL_COLUMNS)
          || column.startsWith(LineageResolver.POSITION)
          || SYSTEM_COLUMNS.contains(column)
          || VALUE_FUNCTIONS.contains(column)
          || ref.table().schema() == null
          || (SYSTEM_SCHEMAS.contains(ref.table().schema())
              && !CatalogChannels.isChannel(ref.table()))) {
        continue;
      }
      if (catalog.relation(database, ref.table()) != null
          && relations.stream().noneMatch(r -> r.hasColumn(column))) {
        unknown.add(ref);
      }
    }
    return unknown;
  }

  /** True when one of {@code sources} is a view's column that is not a plain column under it. */
  private static boolean computedViewColumn(
      Set<ColumnRef> sources, Catalog catalog, String database) {
    for (ColumnRef ref : sources) {
      if (ref.table().schema() == null || ref.column().startsWith(LineageResolver.POSITION)) {
        continue;
      }
      var relation = catalog.relation(database, ref.table());
      if (relation != null
          && relation.isView()
          && (ref.column().equals(LineageResolver.ALL_COLUMNS)
              || !relation.plainViewColumns().contains(ref.column()))) {
        return true;
      }
    }
    return false;
  }

  private static SourceExpander expander(Catalog catalog, String database) {
    return new SourceExpander(catalog, database);
  }

  private static Set<ColumnRef> union(Set<ColumnRef> a, Set<ColumnRef> b) {
    Set<ColumnRef> out = new LinkedHashSet<>(a);
    out.addAll(b);
    return out;
  }
}
