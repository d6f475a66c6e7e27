/**
 * Column lineage over JSqlParser syntax trees, without a catalog: for each output column of a
 * statement, the base columns its value derives from, through aliases, expressions, functions,
 * subqueries, CTEs, set operations, aggregates, window functions and whole-row references. Entry
 * point: {@link dev.gatehouse.engine.sql.lineage.LineageResolver}.
 */
package dev.gatehouse.engine.sql.lineage;
