package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.sql.model.TableRef;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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

  /**
   * The columns of those relations that hold only names, counters, frequencies and times, by
   * relation name. Not {@code correlation}: it says how a column's order follows the table's
   * physical order, which ORDER BY on a masked column is refused to hide (red-team round 37). Any
   * other name on them (a column of a later release, or an attribute call such as {@code
   * s.record_out}, a function over the whole row: red-team T8) counts as one of the masked columns:
   * the list says what is safe, not what leaks.
   */
  private static final Map<String, Pattern> SAFE_COLUMNS =
      Map.of(
          "pg_stats",
              safe(
                  "schemaname|tablename|attname|inherited|null_frac|avg_width|n_distinct"
                      + "|most_common_freqs|most_common_elem_freqs|elem_count_histogram"),
          "pg_stats_ext",
              safe(
                  "schemaname|tablename|statistics_schemaname|statistics_name"
                      + "|statistics_owner|attnames|exprs|kinds|inherited|n_distinct|dependencies"
                      + "|most_common_freqs|most_common_base_freqs"),
          "pg_stats_ext_exprs",
              safe(
                  "schemaname|tablename|statistics_schemaname"
                      + "|statistics_name|statistics_owner|expr|inherited|null_frac|avg_width|n_distinct"
                      + "|most_common_freqs|most_common_elem_freqs|elem_count_histogram"),
          "pg_statistic",
              safe(
                  "starelid|staattnum|stainherit|stanullfrac|stawidth|stadistinct"
                      + "|stakind[1-5]|staop[1-5]|stacoll[1-5]|stanumbers[1-5]"),
          "pg_statistic_ext_data", safe("stxoid|stxdinherit"),
          "pg_stat_activity",
              safe(
                  "datid|pid|leader_pid|usesysid|usename|client_addr"
                      + "|client_hostname|client_port|backend_start|xact_start|query_start|state_change"
                      + "|wait_event_type|wait_event|state|backend_xid|backend_xmin|query_id|backend_type"),
          "pg_stat_statements",
              safe(
                  "userid|dbid|toplevel|queryid|plans|calls|rows"
                      + "|(total|min|max|mean|stddev)_(plan|exec)_time|(shared|local|temp)_blk.*"
                      + "|blk_.*|wal_.*|jit_.*|stats_since|minmax_stats_since"),
          "pg_prepared_statements",
              safe(
                  "name|prepare_time|parameter_types|result_types"
                      + "|from_sql|generic_plans|custom_plans"),
          "pg_cursors", safe("name|is_holdable|is_binary|is_scrollable|creation_time"),
          "pg_backend_memory_contexts",
              safe(
                  "name|type|level|path|parent|total_bytes"
                      + "|total_nblocks|free_bytes|free_chunks|used_bytes"));

  /**
   * True when {@code table} is one of the relations these rules cover. On them a name that is not a
   * column is the attribute call {@code name(row)} over all their values (red-team T8: {@code
   * s.record_out} of {@code pg_stats} returned the histograms), so it is refused like one on a
   * table of the application.
   */
  public static boolean isChannel(TableRef table) {
    return ruleOf(table) != null;
  }

  /**
   * The rule that covers {@code column} of {@code table}, or null: a channel relation's column not
   * on its safe list. Explicit selectors are matched first; this catches the rest.
   */
  static MaskRule unsafeColumn(TableRef table, String column) {
    MaskRule rule = ruleOf(table);
    if (rule == null) {
      return null;
    }
    Pattern safe = SAFE_COLUMNS.get(table.name().toLowerCase(Locale.ROOT));
    boolean ok =
        (safe != null && safe.matcher(column.toLowerCase(Locale.ROOT)).matches())
            || SYSTEM_COLUMNS.contains(column.toLowerCase(Locale.ROOT));
    return ok ? null : rule;
  }

  private static final Set<String> SYSTEM_COLUMNS =
      Set.of("ctid", "xmin", "xmax", "cmin", "cmax", "tableoid", "oid");

  /**
   * The first rule of each relation, by {@code schema.table} (schema {@code *}: any), lower case.
   */
  private static final Map<String, MaskRule> RULE_OF_RELATION = ruleOfRelation();

  private static Map<String, MaskRule> ruleOfRelation() {
    Map<String, MaskRule> byRelation = new java.util.LinkedHashMap<>();
    for (MaskRule rule : RULES) {
      String[] parts = rule.columnSelector().toLowerCase(Locale.ROOT).split("\\.");
      byRelation.putIfAbsent(parts[0] + "." + parts[1], rule);
    }
    return Map.copyOf(byRelation);
  }

  private static MaskRule ruleOf(TableRef table) {
    if (table.schema() == null) {
      return null;
    }
    String name = table.name().toLowerCase(Locale.ROOT);
    MaskRule rule = RULE_OF_RELATION.get(table.schema().toLowerCase(Locale.ROOT) + "." + name);
    return rule != null ? rule : RULE_OF_RELATION.get("*." + name);
  }

  private static Pattern safe(String regex) {
    return Pattern.compile(regex);
  }

  private static MaskRule rule(String id, String selector) {
    return new MaskRule(RULE_PREFIX + id, selector, MaskStrategy.REDACT, 0);
  }
}
