package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.sql.Analysis;
import java.util.List;

/**
 * Decides the {@link MaskPlan} of a result from the statement's lineage and the result's column
 * descriptors, resolving table OIDs and view columns through the database catalog.
 */
public interface MaskPlanner {

  /**
   * An object that stays the same ({@code ==}) as long as every catalog answer about {@code
   * database} does (see {@link dev.gatehouse.engine.masking.catalog.Catalog#generation}), or null
   * when not known.
   */
  default Object catalogGeneration(String database) {
    return null;
  }

  /**
   * @param database the logical database the result comes from (its catalog resolves OIDs)
   */
  MaskPlan plan(
      MaskingPolicy policy, Analysis analysis, List<ResultColumn> columns, String database);

  /**
   * {@code analysis} with its sources resolved through the catalog as far as this planner can (view
   * columns beside the base columns they expose), for the checks that decide on lineage before a
   * statement runs ({@link MaskedDataUse}, {@link ErrorRedaction}). Without a catalog: unchanged.
   *
   * @throws dev.gatehouse.engine.masking.catalog.CatalogException when the catalog cannot be read
   */
  default Analysis throughCatalog(Analysis analysis, String database) {
    return analysis;
  }

  /**
   * A source naming a column its relation does not have (PostgreSQL's attribute notation for a
   * function call on the whole row), or null; null without a catalog.
   */
  default dev.gatehouse.engine.sql.model.ColumnRef unknownAttribute(
      Analysis analysis, String database) {
    return null;
  }

  /**
   * {@code analysis} with the relations under each view it writes added to what it writes, so that
   * rules on tables hold for writes through views; unchanged without a catalog.
   *
   * @throws dev.gatehouse.engine.masking.catalog.CatalogException when the catalog cannot be read
   */
  default Analysis writesThroughViews(Analysis analysis, String database) {
    return analysis;
  }

  /** The schema of {@code database} may have changed (DDL ran): forget what was read of it. */
  default void catalogChanged(String database) {}
}
