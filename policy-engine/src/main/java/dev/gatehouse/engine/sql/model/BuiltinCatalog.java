package dev.gatehouse.engine.sql.model;

import java.util.Set;

/**
 * What analysis knows about PostgreSQL without a catalog: the built-in functions and catalog
 * relations of PostgreSQL 16 (read from {@code pg_proc} and {@code pg_class}), and the ones that
 * need care.
 */
public final class BuiltinCatalog {

  private static final Set<String> FUNCTIONS = load("builtin-functions.txt");
  private static final Set<String> RELATIONS = load("catalog-relations.txt");

  /** Functions of pg_catalog with at least one volatile form ({@code provolatile = 'v'}). */
  private static final Set<String> VOLATILE = load("volatile-functions.txt");

  /**
   * Constructs written like calls that are SQL syntax, not functions of pg_catalog: the parser
   * reports them as functions, and they run nothing beyond their arguments.
   */
  private static final Set<String> SYNTAX =
      Set.of(
          "coalesce",
          "nullif",
          "greatest",
          "least",
          "array",
          "any",
          "some",
          "all",
          "row",
          "rollup",
          "cube",
          "grouping",
          "exists",
          "values",
          "xmlelement",
          "xmlforest",
          "xmlconcat",
          "xmlparse",
          "xmlpi",
          "xmlroot",
          "xmlserialize",
          "xmlexists",
          "xmlattributes",
          "xmlnamespaces",
          "xmltable",
          "json_object",
          "json_array",
          "json_objectagg",
          "json_arrayagg",
          "json_scalar",
          "json_serialize",
          "json_query",
          "json_value",
          "json_exists",
          "json_table",
          "merge_action",
          "extract",
          "treat",
          "cast");

  /** Catalog relations that hold credentials or raw data; never granted by a glob. */
  public static final Set<String> CREDENTIAL_CATALOGS =
      Set.of(
          "pg_catalog.pg_authid",
          "pg_catalog.pg_shadow",
          "pg_catalog.pg_user_mapping",
          "pg_catalog.pg_user_mappings",
          "pg_catalog.pg_largeobject",
          "pg_catalog.pg_statistic",
          "pg_catalog.pg_hba_file_rules",
          "pg_catalog.pg_ident_file_mappings",
          "pg_catalog.pg_file_settings",
          "pg_catalog.pg_subscription");

  /**
   * Catalog relations that list the server's databases (the gateway's control database among them
   * when it shares the server) or their settings and statistics; never granted by a glob, so {@code
   * \l} and {@code SELECT datname FROM pg_database} are refused unless a grant names them.
   */
  public static final Set<String> DATABASE_CATALOGS =
      Set.of(
          "pg_catalog.pg_database",
          "pg_catalog.pg_stat_database",
          "pg_catalog.pg_stat_database_conflicts",
          "pg_catalog.pg_db_role_setting",
          "pg_catalog.pg_shdescription",
          "pg_catalog.pg_replication_slots",
          "pg_catalog.pg_stat_replication_slots");

  /** Relations granted only by their exact name: credential and database catalogs. */
  public static boolean namedOnly(String qualified) {
    return CREDENTIAL_CATALOGS.contains(qualified) || DATABASE_CATALOGS.contains(qualified);
  }

  /**
   * Functions denied unless a rule names them: file and program access, other connections, server
   * control, settings, sleeping, locks and notifications that outlive the statement, and functions
   * that run SQL given as text (which would escape analysis).
   */
  public static final Set<String> DANGEROUS_FUNCTIONS =
      Set.of(
          "pg_read_file",
          "pg_read_binary_file",
          "pg_ls_dir",
          "pg_ls_logdir",
          "pg_ls_waldir",
          "pg_ls_tmpdir",
          "pg_ls_archive_statusdir",
          "pg_ls_logicalsnapdir",
          "pg_ls_logicalmapdir",
          "pg_ls_replslotdir",
          "pg_stat_file",
          "pg_file_write",
          "pg_current_logfile",
          "lo_import",
          "lo_export",
          "lo_from_bytea",
          "lo_put",
          "lo_unlink",
          "lo_create",
          "lo_creat",
          "lo_truncate",
          "lo_get",
          "lo_open",
          "loread",
          "lowrite",
          "pg_logical_slot_get_changes",
          "pg_logical_slot_peek_changes",
          "pg_logical_slot_get_binary_changes",
          "pg_logical_slot_peek_binary_changes",
          "pg_logical_emit_message",
          "dblink",
          "dblink_exec",
          "dblink_connect",
          "dblink_connect_u",
          "dblink_send_query",
          "dblink_open",
          "dblink_fetch",
          "dblink_get_result",
          "pg_terminate_backend",
          "pg_cancel_backend",
          "pg_reload_conf",
          "pg_rotate_logfile",
          "pg_promote",
          "pg_switch_wal",
          "pg_create_restore_point",
          "pg_backup_start",
          "pg_backup_stop",
          "pg_log_backend_memory_contexts",
          "set_config",
          "pg_sleep",
          // They answer for any database name, an error telling which exist (DATABASE_CATALOGS).
          "pg_database_size",
          "has_database_privilege",
          "pg_database_collation_actual_version",
          "pg_sleep_for",
          "pg_sleep_until",
          "pg_advisory_lock",
          "pg_advisory_lock_shared",
          "pg_advisory_xact_lock",
          "pg_advisory_xact_lock_shared",
          "pg_try_advisory_lock",
          "pg_try_advisory_lock_shared",
          "pg_try_advisory_xact_lock",
          "pg_try_advisory_xact_lock_shared",
          "pg_notify",
          "query_to_xml",
          "query_to_xmlschema",
          "query_to_xml_and_xmlschema",
          "cursor_to_xml",
          "cursor_to_xmlschema",
          "table_to_xml",
          "table_to_xmlschema",
          "table_to_xml_and_xmlschema",
          "schema_to_xml",
          "schema_to_xmlschema",
          "schema_to_xml_and_xmlschema",
          "database_to_xml",
          "database_to_xmlschema",
          "database_to_xml_and_xmlschema",
          "ts_stat",
          "ts_rewrite",
          "setval",
          "pg_stat_reset",
          "pg_stat_reset_shared",
          "pg_stat_reset_single_table_counters",
          "pg_stat_reset_single_function_counters",
          "pg_stat_reset_slru",
          "pg_stat_reset_replication_slot",
          "pg_stat_reset_subscription_stats",
          "pg_create_physical_replication_slot",
          "pg_create_logical_replication_slot",
          "pg_drop_replication_slot",
          "pg_replication_origin_create",
          "pg_import_system_collations");

  /**
   * Settings a statement may change only where a rule names them: read-only mode, replication role,
   * row security, the search path, the role, the statement timeout the policy imposes, and the
   * settings that change how the server reads literals or bytes (the lexer must read them exactly
   * as the server does). {@code all} stands for RESET ALL and DISCARD ALL, {@code alter_system} for
   * ALTER SYSTEM.
   */
  public static final Set<String> PROTECTED_SETTINGS =
      Set.of(
          "default_transaction_read_only",
          "transaction_read_only",
          "session_replication_role",
          "row_security",
          "search_path",
          "role",
          "session_authorization",
          "statement_timeout",
          "standard_conforming_strings",
          "backslash_quote",
          "client_encoding",
          "alter_system",
          "all");

  /**
   * The helper functions of information_schema that clients call themselves (pgjdbc's
   * getPrimaryKeys, getIndexInfo and getBestRowIdentifier use {@code _pg_expandarray}): SQL
   * functions over their arguments that read nothing and change nothing.
   */
  private static final Set<String> INFORMATION_SCHEMA_FUNCTIONS =
      Set.of(
          "information_schema._pg_expandarray",
          "information_schema._pg_index_position",
          "information_schema._pg_truetypid",
          "information_schema._pg_truetypmod",
          "information_schema._pg_char_max_length",
          "information_schema._pg_char_octet_length",
          "information_schema._pg_numeric_precision",
          "information_schema._pg_numeric_precision_radix",
          "information_schema._pg_numeric_scale",
          "information_schema._pg_datetime_precision",
          "information_schema._pg_interval_type");

  private BuiltinCatalog() {}

  /** True for a helper function of information_schema, named with its schema. */
  public static boolean isInformationSchemaFunction(String qualifiedName) {
    return INFORMATION_SCHEMA_FUNCTIONS.contains(qualifiedName);
  }

  /**
   * True for a function defined in the database rather than built in (neither a pg_catalog
   * function, named without its schema, nor an information_schema helper): its body is not seen.
   */
  public static boolean isDatabaseFunction(String name) {
    return name.contains(".") ? !isInformationSchemaFunction(name) : !isBuiltinFunction(name);
  }

  /** True for a function of pg_catalog (name without schema). */
  public static boolean isBuiltinFunction(String name) {
    return FUNCTIONS.contains(name) || SYNTAX.contains(name);
  }

  /**
   * True for a function of pg_catalog of which some form is volatile: it may change something
   * (nextval, set_config, lo_*, pg_notify) or at least give a new answer on every call.
   */
  public static boolean isVolatileFunction(String name) {
    return VOLATILE.contains(name);
  }

  static boolean isCatalogRelation(String name) {
    return RELATIONS.contains(name);
  }

  private static Set<String> load(String resource) {
    return WordList.load(BuiltinCatalog.class, resource);
  }
}
