package dev.gatehouse.engine.masking;

import java.util.List;
import java.util.Set;

/**
 * System views, columns and functions that carry data values (planner statistics) or other
 * sessions' SQL text (with its literals). For a principal masking applies to, they are masked
 * columns like any other: the policy either masks them or refuses the statement.
 */
public final class CatalogChannels {

  /** The id prefix of the built-in rules over these columns. */
  public static final String RULE_PREFIX = "catalog:";

  /** Columns holding values from tables or other sessions' statements. */
  public static final List<MaskRule> RULES =
      List.of(
          rule("pg-stats", "pg_catalog.pg_stats.most_common_*"),
          rule("pg-stats-histogram", "pg_catalog.pg_stats.histogram_bounds"),
          rule("pg-stats-ext", "pg_catalog.pg_stats_ext.most_common_*"),
          rule("pg-stats-ext-exprs", "pg_catalog.pg_stats_ext_exprs.most_common_*"),
          rule("pg-stats-ext-exprs-histogram", "pg_catalog.pg_stats_ext_exprs.histogram_bounds"),
          rule("pg-statistic", "pg_catalog.pg_statistic.stavalues*"),
          rule("pg-statistic-ext-data", "pg_catalog.pg_statistic_ext_data.stxd*"),
          rule("pg-stat-activity", "pg_catalog.pg_stat_activity.query"),
          rule("pg-stat-activity-application", "pg_catalog.pg_stat_activity.application_name"),
          // Other sessions' database names: the gateway's control database among them.
          rule("pg-stat-activity-database", "pg_catalog.pg_stat_activity.datname"),
          rule("pg-stat-statements", "*.pg_stat_statements.query"),
          rule("pg-prepared-statements", "pg_catalog.pg_prepared_statements.statement"),
          rule("pg-cursors", "pg_catalog.pg_cursors.statement"),
          rule("pg-backend-memory-contexts", "pg_catalog.pg_backend_memory_contexts.ident"));

  /** Functions returning the same data; always refused for principals masking applies to. */
  public static final Set<String> FUNCTIONS =
      Set.of(
          "pg_stat_get_activity",
          "pg_stat_get_backend_activity",
          "pg_stat_statements",
          "pg_prepared_statement",
          "pg_cursor",
          "pg_get_backend_memory_contexts",
          "pg_mcv_list_items",
          "pg_stat_get_wal_receiver");

  /**
   * {@code pg_stat*} functions known to return only counters, times, ids and states; any other
   * {@code pg_stat*} function (a new one of a later release included) is refused.
   */
  private static final List<String> COUNTER_PREFIXES =
      List.of(
          "pg_stat_get_db_",
          "pg_stat_get_bgwriter_",
          "pg_stat_get_checkpointer_",
          "pg_stat_get_buf_",
          "pg_stat_get_wal",
          "pg_stat_get_xact_",
          "pg_stat_get_tuples_",
          "pg_stat_get_blocks_",
          "pg_stat_get_numscans",
          "pg_stat_get_lastscan",
          "pg_stat_get_live_tuples",
          "pg_stat_get_dead_tuples",
          "pg_stat_get_mod_since_analyze",
          "pg_stat_get_ins_since_vacuum",
          "pg_stat_get_last_",
          "pg_stat_get_vacuum_count",
          "pg_stat_get_autovacuum_count",
          "pg_stat_get_analyze_count",
          "pg_stat_get_autoanalyze_count",
          "pg_stat_get_function_",
          "pg_stat_get_archiver",
          "pg_stat_get_snapshot_timestamp",
          "pg_stat_get_backend_pid",
          "pg_stat_get_backend_idset",
          "pg_stat_get_backend_dbid",
          "pg_stat_get_backend_userid",
          "pg_stat_get_backend_start",
          "pg_stat_get_backend_xact_start",
          "pg_stat_get_backend_activity_start",
          "pg_stat_get_backend_wait_event",
          "pg_stat_get_backend_client_",
          "pg_stat_get_backend_subxact",
          "pg_stat_get_replication_slot",
          "pg_stat_get_slru",
          "pg_stat_get_subscription",
          "pg_stat_get_io",
          "pg_stat_get_progress_info",
          "pg_stat_have_stats",
          "pg_stat_clear_snapshot",
          "pg_stat_reset");

  private CatalogChannels() {}

  /** True when {@code function} (normalized, {@code pg_catalog.} dropped) exposes such data. */
  public static boolean exposes(String function) {
    String name = function.startsWith("pg_catalog.") ? function.substring(11) : function;
    int dot = name.lastIndexOf('.');
    String bare = dot < 0 ? name : name.substring(dot + 1);
    if (FUNCTIONS.contains(bare)) {
      return true;
    }
    return bare.startsWith("pg_stat") && COUNTER_PREFIXES.stream().noneMatch(bare::startsWith);
  }

  private static MaskRule rule(String id, String selector) {
    return new MaskRule(RULE_PREFIX + id, selector, MaskStrategy.REDACT, 0);
  }
}
