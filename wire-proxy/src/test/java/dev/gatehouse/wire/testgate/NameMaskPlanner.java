package dev.gatehouse.wire.testgate;

import dev.gatehouse.engine.masking.AppliedMask;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.MaskPlanner;
import dev.gatehouse.engine.masking.MaskStrategy;
import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.sql.Analysis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Test double of {@link MaskPlanner}: redacts result columns by name ({@code email}, {@code ssn},
 * {@code card_number}) to {@code ***} (valid in text and in binary text-type format) until the real
 * planner is on main.
 */
public final class NameMaskPlanner implements MaskPlanner {

  private static final Set<String> MASKED = Set.of("email", "ssn", "card_number");
  static final byte[] REDACTED = "***".getBytes(StandardCharsets.UTF_8);

  @Override
  public MaskPlan plan(
      MaskingPolicy policy, Analysis analysis, List<ResultColumn> columns, String database) {
    boolean[] masked = new boolean[columns.size()];
    boolean any = false;
    String sql = analysis.sql().toLowerCase(java.util.Locale.ROOT);
    for (int i = 0; i < columns.size(); i++) {
      String name = columns.get(i).name();
      // COPY reports no column names: mask every column of a COPY that mentions a masked name.
      masked[i] =
          MASKED.contains(name)
              || (sql.stripLeading().startsWith("copy")
                  && name.startsWith("column")
                  && copied(sql, i));
      any |= masked[i];
    }
    if (!any) {
      return MaskPlan.NONE;
    }
    List<AppliedMask> applied = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (masked[i]) {
        applied.add(
            new AppliedMask(columns.get(i).name(), null, "mask-by-name", MaskStrategy.REDACT));
      }
    }
    return new MaskPlan() {
      @Override
      public boolean passesThrough() {
        return false;
      }

      @Override
      public boolean inspects(int column) {
        return masked[column];
      }

      @Override
      public byte[] apply(int column, byte[] value) {
        return value == null ? null : REDACTED;
      }

      @Override
      public List<AppliedMask> applied() {
        return applied;
      }
    };
  }

  /** For {@code COPY (SELECT a, b FROM ...)}: whether the select list names a masked column. */
  private static boolean copied(String sql, int column) {
    int select = sql.indexOf("select ");
    int from = sql.indexOf(" from ");
    if (select < 0 || from < select) {
      return true; // COPY table TO STDOUT: no names to go by, mask every column
    }
    String[] items = sql.substring(select + 7, from).split(",");
    return column >= items.length || MASKED.contains(items[column].strip());
  }
}
