package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.sql.Analysis;
import java.util.List;

/**
 * Decides the {@link MaskPlan} of a result from the statement's lineage and the result's column
 * descriptors, resolving table OIDs and view columns through the database catalog.
 */
public interface MaskPlanner {

  /**
   * @param database the logical database the result comes from (its catalog resolves OIDs)
   */
  MaskPlan plan(
      MaskingPolicy policy, Analysis analysis, List<ResultColumn> columns, String database);
}
