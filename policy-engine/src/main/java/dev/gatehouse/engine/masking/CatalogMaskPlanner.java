package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.masking.catalog.Catalog;
import dev.gatehouse.engine.masking.catalog.CatalogException;
import dev.gatehouse.engine.masking.catalog.JdbcCatalog;
import dev.gatehouse.engine.masking.catalog.RelationInfo;
import dev.gatehouse.engine.masking.detect.DetectorType;
import dev.gatehouse.engine.masking.detect.Detectors;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.lineage.LineageResolver;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Plans masking from the statement's lineage, the result's column descriptors and the database
 * catalog. Per column: a rule's mask when any base column it derives from is selected by a rule;
 * otherwise the content detectors; otherwise nothing.
 *
 * <p>Two sources of lineage are combined, because either alone can miss: the analysis (which sees
 * expressions, functions and whole-row references) and the RowDescription's table OID and attribute
 * number (which PostgreSQL sets for plain column references, through subqueries and CTEs, and which
 * the analysis may lack). A value derived from a masked column is masked as a whole: strategies
 * that keep part of a value (KEEP_LAST, EMAIL) apply only when the wire says the column is the base
 * column itself; any other derived value is fully redacted.
 */
public final class CatalogMaskPlanner implements MaskPlanner {

  /** The rule id recorded when lineage is unknown and the policy denies opaque lineage. */
  public static final String OPAQUE_LINEAGE = "opaque-lineage";

  /**
   * The rule id recorded when a column is computed from an opaque value (e.g. {@code
   * md5(app.f(1))}): no detector can recognise it, so it is redacted.
   */
  public static final String OPAQUE_TRANSFORMED = "opaque-transformed";

  /** The rule id recorded when the catalog could not be read: every column is redacted. */
  public static final String CATALOG_UNAVAILABLE = "catalog-unavailable";

  private final Catalog catalog;
  private final Pseudonymizer pseudonyms;

  /**
   * @param pseudonymKey the HMAC key of the PSEUDONYM strategy (at least 16 bytes), or null when no
   *     rule uses it (such a rule then redacts)
   */
  public CatalogMaskPlanner(Catalog catalog, byte[] pseudonymKey) {
    this.catalog = catalog;
    if (pseudonymKey == null) {
      this.pseudonyms = null;
    } else {
      try {
        Pseudonymizer.checkKey(pseudonymKey);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      this.pseudonyms = new Pseudonymizer(pseudonymKey);
    }
  }

  /** A planner over a {@link JdbcCatalog} that opens connections per logical database. */
  public static CatalogMaskPlanner overJdbc(
      Function<String, Connection> connections, byte[] pseudonymKey) {
    return new CatalogMaskPlanner(
        new JdbcCatalog(connections, Duration.ofMinutes(5)), pseudonymKey);
  }

  /** A planner over a {@link JdbcCatalog} reading each logical database through its pool. */
  public static CatalogMaskPlanner overDataSources(
      Function<String, DataSource> dataSources, byte[] pseudonymKey) {
    return overJdbc(
        database -> {
          DataSource ds = dataSources.apply(database);
          if (ds == null) {
            throw new IllegalArgumentException(
                "no upstream is configured for database `" + database + "`");
          }
          try {
            return ds.getConnection();
          } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
        },
        pseudonymKey);
  }

  @Override
  public Analysis throughCatalog(Analysis analysis, String database) {
    return CatalogLineage.expand(analysis, catalog, database);
  }

  @Override
  public Object catalogGeneration(String database) {
    return catalog.generation(database);
  }

  @Override
  public void catalogChanged(String database) {
    catalog.invalidate(database);
  }

  @Override
  public Analysis writesThroughViews(Analysis analysis, String database) {
    return ViewWrites.expand(analysis, catalog, database);
  }

  @Override
  public ColumnRef unknownAttribute(Analysis analysis, String database) {
    return CatalogLineage.unknownAttribute(analysis, catalog, database);
  }

  public Catalog catalog() {
    return catalog;
  }

  @Override
  public MaskPlan plan(
      MaskingPolicy policy, Analysis analysis, List<ResultColumn> columns, String database) {
    if (policy == null || columns == null) {
      throw new IllegalArgumentException("a mask plan needs a masking policy and result columns");
    }
    if (policy.isEmpty()) {
      return MaskPlan.NONE;
    }
    Detectors detectors = Detectors.of(policy.detectors());
    OutputColumn[] aligned = aligned(analysis, columns.size());
    List<ColumnPlan> plans = new ArrayList<>();
    List<AppliedMask> applied = new ArrayList<>();
    boolean reusable = true;
    try {
      ColumnPlanning planning =
          new ColumnPlanning(policy, new RuleMatcher(policy.rules()), detectors, database);
      for (int i = 0; i < columns.size(); i++) {
        plans.add(planning.plan(columns.get(i), aligned[i], applied));
      }
    } catch (CatalogException e) {
      // Without the catalog neither stars nor views can be resolved: fail closed.
      plans.clear();
      applied.clear();
      for (ResultColumn c : columns) {
        ColumnType type = ColumnType.of(ValueKind.of(c.typeOid(), oid -> null), c);
        plans.add(
            new ColumnPlan(
                c.name(),
                ColumnPlan.Action.RULE,
                type,
                MaskStrategy.REDACT,
                0,
                Placeholders.of(type.kind(), c.typeOid(), c.format()),
                true));
        applied.add(new AppliedMask(c.name(), null, CATALOG_UNAVAILABLE, MaskStrategy.REDACT));
      }
      reusable = false;
    }
    return new PlannedMask(plans, detectors, pseudonyms, applied, reusable);
  }

  /**
   * The lineage of the statement whose result is planned. A message of several statements should be
   * planned one result at a time with {@link #statementAnalysis}; when it is not, and more than one
   * of its statements returns rows, nothing says which one this result is, so every column is given
   * the lineage of all of them.
   */
  static OutputColumn[] aligned(Analysis analysis, int width) {
    if (analysis == null) {
      return new OutputColumn[width];
    }
    List<StatementInfo> rows =
        analysis.statements().stream().filter(s -> !s.outputColumns().isEmpty()).toList();
    if (rows.size() <= 1) {
      return LineageAlignment.align(
          rows.isEmpty() ? List.of() : rows.getFirst().outputColumns(), width);
    }
    Set<ColumnRef> all = new LinkedHashSet<>();
    boolean opaque = false;
    for (StatementInfo s : rows) {
      for (OutputColumn c : s.outputColumns()) {
        all.addAll(c.sources());
        opaque |= c.opaque();
      }
    }
    OutputColumn[] out = new OutputColumn[width];
    java.util.Arrays.fill(out, new OutputColumn("?column?", all, opaque));
    return out;
  }

  /**
   * The analysis of statement {@code index} of a message alone, to plan that statement's result.
   */
  public static Analysis statementAnalysis(Analysis message, int index) {
    StatementInfo s = message.statements().get(index);
    return new Analysis(s.sql(), List.of(s), message.fingerprint());
  }

  private static final int TSVECTOR = 3614;
  private static final int TSQUERY = 3615;
  private static final int FIRST_USER_OID = 16384;

  /** The planning of one result's columns. */
  private final class ColumnPlanning {
    private final MaskingPolicy policy;
    private final RuleMatcher rules;
    private final Detectors detectors;
    private final String database;

    ColumnPlanning(MaskingPolicy policy, RuleMatcher rules, Detectors detectors, String database) {
      this.policy = policy;
      this.rules = rules;
      this.detectors = detectors;
      this.database = database;
    }

    ColumnPlan plan(ResultColumn column, OutputColumn lineage, List<AppliedMask> applied) {
      ColumnType type =
          ColumnType.of(ValueKind.of(column.typeOid(), oid -> catalog.type(database, oid)), column);
      SourceExpander expander = new SourceExpander(catalog, database);
      Set<ColumnRef> base = new LinkedHashSet<>();
      boolean known = lineage != null;
      boolean opaque = lineage != null && lineage.opaque();
      boolean direct = false;
      ColumnRef wire = wireOrigin(column);
      if (wire != null) {
        // PostgreSQL names a table column only for a plain column reference: the value is that
        // column's. Behind a star the analysis knows no more than that, so the wire is exact.
        known = true;
        Set<ColumnRef> fromWire = expander.expand(Set.of(wire));
        base.addAll(fromWire);
        boolean star = lineage != null && lineage.name().equals(LineageResolver.ALL_COLUMNS);
        if (lineage != null && !star) {
          Set<ColumnRef> fromLineage = expander.expand(lineage.sources());
          base.addAll(fromLineage);
          direct = isBaseValue(wire, 0) && fromWire.containsAll(fromLineage) && !opaque;
        } else {
          direct = isBaseValue(wire, 0);
        }
      } else if (lineage != null && lineage.name().equals(LineageResolver.ALL_COLUMNS)) {
        base.addAll(expander.expand(starColumn(lineage, column.name())));
      } else if (lineage != null) {
        base.addAll(expander.expand(lineage.sources()));
      }
      if (column.tableOid() != 0 && column.columnNumber() == 0) {
        // a whole-row reference PostgreSQL could trace to its table
        RelationInfo r = catalog.relation(database, column.tableOid());
        if (r != null) {
          base.addAll(
              expander.expand(Set.of(new ColumnRef(r.name(), LineageResolver.ALL_COLUMNS))));
          known = true;
        }
      }
      opaque |= expander.sawOpaqueView();
      // c.name that is no column of c is PostgreSQL's call name(c): it carries the whole row
      base.addAll(expander.expand(CatalogLineage.attributeRows(base, catalog, database)));

      MaskRule rule = null;
      ColumnRef matched = null;
      for (ColumnRef s : base) {
        MaskRule r = rules.match(s);
        if (r != null
            && (rule == null || policy.rules().indexOf(r) < policy.rules().indexOf(rule))) {
          rule = r;
          matched = s;
        }
      }
      if (rule != null) {
        MaskStrategy strategy = rule.strategy();
        if (!direct && (strategy == MaskStrategy.KEEP_LAST || strategy == MaskStrategy.EMAIL)) {
          strategy = MaskStrategy.REDACT;
        }
        if (strategy == MaskStrategy.PSEUDONYM && pseudonyms == null) {
          strategy = MaskStrategy.REDACT;
        }
        applied.add(new AppliedMask(column.name(), matched.qualified(), rule.id(), strategy));
        return new ColumnPlan(
            column.name(),
            ColumnPlan.Action.RULE,
            type,
            strategy,
            Math.max(0, rule.keepLast()),
            Placeholders.of(type.kind(), column.typeOid(), column.format()),
            !direct);
      }
      boolean transformed = base.contains(LineageResolver.TRANSFORMED_OPAQUE);
      if (((!known || opaque) && policy.denyOpaqueLineage()) || transformed) {
        String ruleId =
            transformed && !policy.denyOpaqueLineage() ? OPAQUE_TRANSFORMED : OPAQUE_LINEAGE;
        applied.add(new AppliedMask(column.name(), null, ruleId, MaskStrategy.REDACT));
        return new ColumnPlan(
            column.name(),
            ColumnPlan.Action.RULE,
            type,
            MaskStrategy.REDACT,
            0,
            Placeholders.of(type.kind(), column.typeOid(), column.format()),
            true);
      }
      if (!detectors.isEmpty() && detectable(type.kind(), column.typeOid())) {
        return new ColumnPlan(
            column.name(),
            ColumnPlan.Action.DETECT,
            type,
            null,
            0,
            Placeholders.of(type.kind(), column.typeOid(), column.format()));
      }
      return ColumnPlan.pass(column.name(), type);
    }

    /**
     * A column of a star without a wire origin: the result names it, so it is the column of that
     * name of the starred tables; every starred table's columns when no catalog table has it.
     */
    private Set<ColumnRef> starColumn(OutputColumn star, String name) {
      Set<ColumnRef> named = new LinkedHashSet<>();
      for (ColumnRef s : star.sources()) {
        RelationInfo r = catalog.relation(database, s.table());
        if (!s.column().equals(LineageResolver.ALL_COLUMNS) || r == null) {
          named.add(s);
        } else if (r.hasColumn(name)) {
          named.add(new ColumnRef(s.table(), name));
        }
      }
      return named.isEmpty() ? star.sources() : named;
    }

    /** The base column the wire names, refreshing the catalog once when it does not know it. */
    private ColumnRef wireOrigin(ResultColumn column) {
      if (column.tableOid() == 0 || column.columnNumber() <= 0) {
        return null;
      }
      RelationInfo r = catalog.relation(database, column.tableOid());
      if (r == null || r.column(column.columnNumber()) == null) {
        catalog.invalidate(database);
        r = catalog.relation(database, column.tableOid());
      }
      return r == null || r.column(column.columnNumber()) == null
          ? null
          : new ColumnRef(r.name(), r.column(column.columnNumber()));
    }

    /**
     * True when {@code column} holds a base table column's values unchanged: it is a table column,
     * or a view column defined as a plain column of one (through views of views).
     */
    private boolean isBaseValue(ColumnRef column, int depth) {
      RelationInfo r = catalog.relation(database, column.table());
      if (r == null || depth > 16) {
        return false;
      }
      if (!r.isView()) {
        return true;
      }
      OutputColumn definition = r.viewColumns().get(column.column());
      if (!r.plainViewColumns().contains(column.column())
          || definition == null
          || definition.opaque()
          || definition.sources().size() != 1) {
        return false;
      }
      ColumnRef source = definition.sources().iterator().next();
      return !source.column().equals(LineageResolver.ALL_COLUMNS) && isBaseValue(source, depth + 1);
    }

    private boolean detectable(ValueKind kind, int typeOid) {
      return switch (kind) {
        case UUID -> false;
        // Types whose text spells out any string they were made from (tsvector, tsquery, and
        // types of extensions such as hstore or ltree) are scanned like text (red-team round 6,
        // F2: a tsquery carried a card number and an e-mail past the detectors).
        case OTHER -> spellsText(typeOid);
        case INTEGER, NUMERIC -> detectors.has(DetectorType.CARD_NUMBER);
        default -> true;
      };
    }

    private boolean spellsText(int typeOid) {
      if (typeOid == TSVECTOR || typeOid == TSQUERY) {
        return true;
      }
      if (typeOid < FIRST_USER_OID) {
        return false; // built-in dates, numbers, booleans, geometry: no free text
      }
      dev.gatehouse.engine.masking.catalog.TypeInfo info = catalog.type(database, typeOid);
      return info == null || info.category() == 'U' || info.category() == 'S';
    }
  }
}
