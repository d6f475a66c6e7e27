package dev.gatehouse.mcp.testgate;

import dev.gatehouse.engine.masking.AppliedMask;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.MaskPlanner;
import dev.gatehouse.engine.masking.MaskRule;
import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Test double of the mask planner (the real one, with lineage, is being written). A column is
 * masked when a rule's selector matches the base column PostgreSQL reports for it (table OID and
 * attribute number, resolved through the catalog), one of its lineage sources, or its name; a
 * computed column (no base column, no lineage) is masked when the statement mentions a masked
 * column's name at all, which errs towards masking. Other cells that look like e-mail addresses or
 * card numbers are redacted. Every masked cell becomes {@code ****}.
 */
public final class NameMaskPlanner implements MaskPlanner {

  /** Resolves a table OID and attribute number to {@code schema.table.column}, or null. */
  @FunctionalInterface
  public interface Catalog {
    String column(String database, int tableOid, int attribute);
  }

  private static final byte[] REDACTED = "****".getBytes(StandardCharsets.UTF_8);
  private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+\\.[\\w.]+");
  private static final Pattern CARD = Pattern.compile("(?:\\d[ -]?){13,19}");

  private final Catalog catalog;

  public NameMaskPlanner() {
    this((database, oid, attribute) -> null);
  }

  public NameMaskPlanner(Catalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public MaskPlan plan(
      MaskingPolicy policy, Analysis analysis, List<ResultColumn> columns, String database) {
    boolean[] masked = new boolean[columns.size()];
    List<AppliedMask> applied = new ArrayList<>();
    List<OutputColumn> lineage = analysis.outputColumns();
    for (int i = 0; i < columns.size(); i++) {
      OutputColumn out = lineage.size() == columns.size() ? lineage.get(i) : null;
      ResultColumn column = columns.get(i);
      String base =
          column.tableOid() == 0
              ? null
              : catalog.column(database, column.tableOid(), column.columnNumber());
      boolean computed = column.tableOid() == 0 && (out == null || out.sources().isEmpty());
      for (MaskRule rule : policy.rules()) {
        boolean hit;
        if (base != null) {
          hit = glob(rule.columnSelector()).matcher(base).matches();
        } else if (computed) {
          hit = mentions(analysis.sql(), rule.columnSelector());
        } else {
          hit = matches(rule.columnSelector(), out, column.name());
        }
        if (hit) {
          masked[i] = true;
          applied.add(new AppliedMask(column.name(), base, rule.id(), rule.strategy()));
          break;
        }
      }
    }
    boolean detect = !policy.detectors().isEmpty();
    return new MaskPlan() {
      @Override
      public boolean passesThrough() {
        return false;
      }

      @Override
      public boolean inspects(int column) {
        return masked[column] || detect;
      }

      @Override
      public byte[] apply(int column, byte[] value) {
        if (value == null) {
          return null;
        }
        if (masked[column]) {
          return REDACTED;
        }
        String text = new String(value, StandardCharsets.UTF_8);
        if (EMAIL.matcher(text).find() || CARD.matcher(text).find()) {
          synchronized (applied) {
            applied.add(new AppliedMask(columns.get(column).name(), null, "detector", null));
          }
          return REDACTED;
        }
        return value;
      }

      @Override
      public List<AppliedMask> applied() {
        synchronized (applied) {
          return List.copyOf(applied);
        }
      }
    };
  }

  private static Pattern glob(String selector) {
    return Pattern.compile(selector.replace(".", "\\.").replace("*", "[^.]*"));
  }

  private static boolean mentions(String sql, String selector) {
    String name = selector.substring(selector.lastIndexOf('.') + 1);
    return !name.contains("*")
        && Pattern.compile("(?i)\\b" + Pattern.quote(name) + "\\b").matcher(sql).find();
  }

  private static boolean matches(String selector, OutputColumn out, String name) {
    if (out == null || out.sources().isEmpty()) {
      return selector.substring(selector.lastIndexOf('.') + 1).equals(name);
    }
    for (ColumnRef source : out.sources()) {
      if (glob(selector).matcher(source.qualified()).matches()) {
        return true;
      }
      String tablePart = selector.substring(0, selector.lastIndexOf('.'));
      if (source.column().equals("*")
          && glob(tablePart).matcher(source.table().qualified()).matches()) {
        return true;
      }
    }
    return false;
  }
}
