package dev.gatehouse.testkit;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Statements whose PostgreSQL error or notice text would echo a masked value (issue 16, the error
 * channel), shared by the wire and MCP tests: casts to every type with an input function, parse and
 * format functions, names looked up from a value, errors raised inside a function's dynamic SQL,
 * integrity errors on writes. Each runs (or is refused) on a shop database with {@link #SETUP}
 * applied; no field of what comes back, and no audit record, may carry a value.
 */
public final class ErrorEchoCases {

  private ErrorEchoCases() {}

  /** One case: who runs it, and the SQL. */
  public record Case(ReferencePrincipal principal, String sql) {
    @Override
    public String toString() {
      return principal.subject() + ": " + sql;
    }
  }

  /** Objects some cases need, created by the database owner on a fresh shop database. */
  public static final List<String> SETUP =
      List.of(
          "CREATE TYPE app.tier AS ENUM ('gold', 'silver')",
          "CREATE TYPE app.pair AS (a int, b text)",
          "CREATE FUNCTION app.customer_ssn(customer bigint) RETURNS text LANGUAGE sql STABLE AS"
              + " $$ SELECT ssn FROM app.customers WHERE id = customer $$",
          // Functions put the SSN reversed (a form no detector recognises) where errors show it.
          // Dynamic SQL with the value in its text: a CONTEXT `SQL statement "..."` quotes it,
          // under an error whose SQLSTATE (permission denied) says nothing about values.
          "CREATE FUNCTION app.ssn_in_sql(customer bigint) RETURNS text LANGUAGE plpgsql AS $$"
              + " DECLARE t text; BEGIN SELECT reverse(ssn) INTO t FROM app.customers"
              + " WHERE id = customer;"
              + " EXECUTE 'SELECT count(*) FROM pg_authid WHERE rolname = ' || quote_literal(t);"
              + " RETURN 'ok'; END $$",
          "CREATE FUNCTION app.ssn_noticed(customer bigint) RETURNS text LANGUAGE plpgsql AS $$"
              + " DECLARE t text; BEGIN SELECT reverse(ssn) INTO t FROM app.customers"
              + " WHERE id = customer;"
              + " RAISE NOTICE 'checking %', t USING DETAIL = t, HINT = t; RETURN 'ok'; END $$",
          // a RAISE chooses its SQLSTATE: one that otherwise says nothing about values
          "CREATE FUNCTION app.ssn_raised(customer bigint) RETURNS text LANGUAGE plpgsql AS $$"
              + " DECLARE t text; BEGIN SELECT reverse(ssn) INTO t FROM app.customers"
              + " WHERE id = customer;"
              + " RAISE EXCEPTION '%', t USING ERRCODE = 'insufficient_privilege', DETAIL = t;"
              + " END $$",
          "CREATE FUNCTION app.ssn_timeout(customer bigint) RETURNS text LANGUAGE plpgsql AS $$"
              + " DECLARE t text; BEGIN SELECT reverse(ssn) INTO t FROM app.customers"
              + " WHERE id = customer;"
              + " RAISE EXCEPTION 'canceling statement due to statement timeout'"
              + " USING ERRCODE = 'query_canceled', HINT = t; END $$",
          "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA app TO PUBLIC");

  private static final String ONE = " FROM app.customers WHERE id = 1";

  private static final List<String> CAST_TYPES =
      List.of(
          "int2",
          "int4",
          "int8",
          "numeric",
          "numeric(3)",
          "float4",
          "float8",
          "bool",
          "date",
          "time",
          "timetz",
          "timestamp",
          "timestamptz",
          "interval",
          "inet",
          "cidr",
          "macaddr",
          "macaddr8",
          "uuid",
          "json",
          "jsonb",
          "xml",
          "bit",
          "varbit",
          "money",
          "point",
          "box",
          "tsquery",
          "jsonpath",
          "pg_lsn",
          "oid",
          "xid8",
          "tid",
          "regclass",
          "regtype",
          "regproc",
          "regprocedure",
          "regoper",
          "regnamespace",
          "regrole",
          "regconfig",
          "regdictionary",
          "regcollation",
          "pg_snapshot",
          "int4range",
          "tstzrange",
          "int[]",
          "app.tier",
          "app.pair");

  /** Every case, analyst and etl-nightly. */
  public static List<Case> all() {
    List<Case> out = new java.util.ArrayList<>();
    for (String type : CAST_TYPES) {
      out.add(analyst("SELECT ssn::" + type + ONE));
    }
    List.of(
            "SELECT card_number::int2" + ONE,
            "SELECT CAST(email AS uuid)" + ONE,
            "SELECT int4(ssn)" + ONE,
            "SELECT (ssn || '')::int" + ONE,
            "SELECT upper(ssn)::date" + ONE,
            "SELECT replace(ssn, '-', '')::int2" + ONE,
            "SELECT ('{' || ssn || '}')::int[]" + ONE,
            "SELECT ('[' || ssn || ',5)')::int4range" + ONE,
            "SELECT ('(1,' || ssn || ')')::app.pair" + ONE,
            "SELECT ('\\' || ssn)::bytea" + ONE,
            "SELECT (E'\\\\x' || ssn)::bytea" + ONE,
            "SELECT to_date(ssn, 'YYYY-MM-DD')" + ONE,
            "SELECT to_timestamp(ssn, 'HH24:MI')" + ONE,
            "SELECT to_number(email, '999')" + ONE,
            "SELECT make_date(replace(ssn, '-', '')::int, 1, 1)" + ONE,
            "SELECT chr(replace(ssn, '-', '')::int)" + ONE,
            "SELECT to_timestamp(replace(ssn, '-', '')::float8 * 1e10)" + ONE,
            "SELECT jsonb_path_query('{}', ssn::jsonpath)" + ONE,
            "SELECT json_extract_path_text(ssn::json, 'a')" + ONE,
            "SELECT jsonb_populate_record(null::app.pair, jsonb_build_object('a', ssn))" + ONE,
            "SELECT format(replace(ssn, '-', '%'))" + ONE,
            "SELECT 'x' ~ (ssn || '(')" + ONE,
            "SELECT regexp_replace('x', 'x', 'y', ssn)" + ONE,
            "SELECT convert_from('x'::bytea, ssn)" + ONE,
            "SELECT convert_to('x', ssn)" + ONE,
            "SELECT decode(ssn, 'base64')" + ONE,
            "SELECT decode(ssn, 'hex')" + ONE,
            "SELECT decode('00', ssn)" + ONE,
            "SELECT timezone(ssn, now())" + ONE,
            "SELECT now() AT TIME ZONE ssn" + ONE,
            "SELECT date_part(ssn, now())" + ONE,
            "SELECT date_trunc(ssn, now())" + ONE,
            "SELECT current_setting(ssn)" + ONE,
            "SELECT has_table_privilege(ssn, 'select')" + ONE,
            "SELECT has_column_privilege('app.customers', ssn, 'select')" + ONE,
            "SELECT has_schema_privilege(ssn, 'usage')" + ONE,
            "SELECT pg_has_role(ssn, 'member')" + ONE,
            "SELECT nextval(ssn)" + ONE,
            "SELECT to_tsvector(ssn::regconfig, 'a')" + ONE,
            "SELECT xmlparse(document ssn)" + ONE,
            "SELECT xmlparse(content '<' || ssn)" + ONE,
            "SELECT xpath(ssn, '<a/>'::xml)" + ONE,
            "SELECT pg_input_error_info(ssn, 'int')" + ONE,
            "SELECT (pg_input_error_info(ssn, 'integer')).message" + ONE,
            "SELECT e.message FROM app.customers c, pg_input_error_info(c.ssn, 'int') e"
                + " WHERE c.id = 1",
            "SELECT pg_input_error_info('1', ssn)" + ONE,
            "SELECT pg_input_is_valid(ssn, 'int')" + ONE,
            "SELECT app.customer_ssn(1)::int",
            "SELECT current_setting(app.customer_ssn(2))",
            "SELECT timezone(app.customer_ssn(1), now())",
            "SELECT app.ssn_in_sql(1)",
            "SELECT app.ssn_noticed(1)",
            "SELECT app.ssn_raised(1)",
            "SELECT app.ssn_timeout(1)",
            "SELECT id FROM app.orders WHERE id = 1 AND app.ssn_raised(customer_id) IS NULL",
            "SELECT phone::int FROM app.customer_contacts WHERE id = 1",
            "SELECT c.e::int FROM (SELECT email AS e FROM app.customer_contacts) c",
            "SELECT row_to_json(c)::text::int FROM app.customers c WHERE id = 1",
            "SELECT c::text::int FROM app.customers c WHERE id = 1",
            "SELECT jsonb_path_query_first(to_jsonb(c), '$.ssn.double()')"
                + " FROM app.customers c WHERE id = 1",
            "SELECT max(ssn::int) FROM app.customers",
            "SELECT count(*) FROM app.customers WHERE ssn = '219-09-9999'::int::text",
            "COPY (SELECT ssn::int FROM app.customers WHERE id = 1) TO STDOUT",
            "SELECT 1; SELECT ssn::int" + ONE,
            "BEGIN; DECLARE c CURSOR FOR SELECT app.customer_ssn(1)::int; FETCH c; COMMIT",
            "SELECT pg_notify('c', ssn)" + ONE)
        .forEach(sql -> out.add(analyst(sql)));
    List.of(
            "UPDATE app.payments SET status = NULL WHERE id = 1",
            "UPDATE app.payments SET customer_id = 99999 WHERE id = 1",
            "INSERT INTO app.payments (id, customer_id, amount, card_number)"
                + " VALUES (1, 1, 1, '4242424242424242')",
            "INSERT INTO app.payments (customer_id, amount, card_number, status)"
                + " SELECT id, 1, card_number, NULL"
                + ONE,
            "INSERT INTO app.payments (id, customer_id, amount, card_number)"
                + " VALUES (1, 1, 1, 'x') ON CONFLICT (id) DO UPDATE SET status = NULL",
            "MERGE INTO app.payments p USING (SELECT 1 AS id) s ON p.id = s.id"
                + " WHEN MATCHED THEN UPDATE SET status = NULL",
            "UPDATE app.orders SET total = NULL WHERE id = 1",
            "INSERT INTO app.orders (customer_id, total) VALUES (99999, 1)",
            "SELECT card_number::int FROM app.payments WHERE id = 1",
            "SELECT app.ssn_in_sql(1)",
            "SELECT app.ssn_raised(1)",
            "UPDATE app.payments SET status = app.ssn_raised(customer_id) WHERE id = 1",
            "UPDATE app.payments SET amount = amount WHERE id = 1 AND card_number::int = 0",
            "LISTEN c; SELECT pg_notify('c', ssn)" + ONE)
        .forEach(sql -> out.add(new Case(ReferencePrincipal.ETL_NIGHTLY, sql)));
    return List.copyOf(out);
  }

  private static Case analyst(String sql) {
    return new Case(ReferencePrincipal.ANALYST, sql);
  }

  /** Values of the bulk rows too, which {@code secrets.tsv} does not list. */
  private static final Pattern BULK =
      Pattern.compile(
          "\\b\\d{3}-\\d{2}-\\d{4}\\b|6011\\d{12}|user\\d+@shop\\.test|\\+1-555-\\d{7}"
              + "|\\b219099999\\b");

  /** What of a masked value {@code text} carries: a secret, a bulk row's value, or null. */
  public static String leakIn(String text) {
    if (text == null) {
      return null;
    }
    Secrets.Secret s = Secrets.findIn(text);
    if (s != null) {
      return s.form() + " of " + s.column() + " (`" + s.value() + "`)";
    }
    var m = BULK.matcher(text);
    return m.find() ? "`" + m.group() + "`" : null;
  }
}
