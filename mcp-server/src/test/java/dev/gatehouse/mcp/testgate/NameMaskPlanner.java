package dev.gatehouse.mcp.testgate;

import dev.gatehouse.engine.masking.AppliedMask;
import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.engine.masking.MaskPlanner;
import dev.gatehouse.engine.masking.MaskRule;
import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.masking.ResultColumn;
import dev.gatehouse.engine.sql.Analysis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test double of the mask planner: masks a column when a rule's last selector segment equals the
 * result column's name, and redacts e-mail-looking values in any other column.
 */
public final class NameMaskPlanner implements MaskPlanner {

  private static final byte[] REDACTED = "****".getBytes(StandardCharsets.UTF_8);

  @Override
  public MaskPlan plan(
      MaskingPolicy policy, Analysis analysis, List<ResultColumn> columns, String database) {
    boolean[] masked = new boolean[columns.size()];
    List<AppliedMask> applied = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      for (MaskRule rule : policy.rules()) {
        String selector = rule.columnSelector();
        if (selector.substring(selector.lastIndexOf('.') + 1).equals(columns.get(i).name())) {
          masked[i] = true;
          applied.add(new AppliedMask(columns.get(i).name(), null, rule.id(), rule.strategy()));
        }
      }
    }
    return new MaskPlan() {
      @Override
      public boolean passesThrough() {
        return false;
      }

      @Override
      public boolean inspects(int column) {
        return true;
      }

      @Override
      public byte[] apply(int column, byte[] value) {
        if (value == null) {
          return null;
        }
        if (masked[column]) {
          return REDACTED;
        }
        if (new String(value, StandardCharsets.UTF_8)
            .matches("(?s).*[\\w.+-]+@[\\w-]+\\.[\\w.]+.*")) {
          synchronized (applied) {
            applied.add(new AppliedMask(columns.get(column).name(), null, "detector:EMAIL", null));
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
}
