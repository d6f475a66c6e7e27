package dev.gatehouse.engine.sql;

import static dev.gatehouse.engine.sql.AnalyzerFixture.one;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Writes that may change every row, however the condition is spelled, need approval. */
class EveryRowWriteTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(SELECT true)",
        "EXISTS (SELECT 1)",
        "NOT EXISTS (SELECT 1 WHERE false)",
        "EXISTS (SELECT 1 FROM app.customers WHERE id = 1)",
        "1::boolean",
        "'t'::bool",
        "'yes'::boolean",
        "' TRUE '::boolean",
        "true::text::bool",
        "1::text = '1'",
        "CAST(1 AS boolean)",
        "coalesce(NULL, true)",
        "COALESCE(null, null, 1 = 1)",
        "nullif(1, 2) = 1",
        "greatest(false, true)",
        "least(1, 2) = 1",
        "CASE WHEN true THEN true ELSE false END",
        "CASE WHEN id > 5 THEN true ELSE true END",
        "CASE 1 WHEN 1 THEN true END",
        "id IS NOT NULL",
        "NOT (id IS NULL)",
        "status IS NOT NULL",
        "id IN (SELECT id FROM app.payments)",
        "id = ANY (SELECT id FROM app.payments)",
        "id IN (SELECT p.id FROM app.payments p WHERE true)",
        "total > 5 OR total <= 5",
        "5 < total OR total <= 5",
        "status = 'x' OR status <> 'x'",
        "status = 'x' OR NOT status = 'x'",
        "id > 5 OR id = 3 OR NOT (id > 5)",
        "id = id",
        "(id, status) = (id, status)",
        "coalesce(status, '') = coalesce(status, '')",
        "id IS NOT DISTINCT FROM id",
        "status IS DISTINCT FROM NULL",
        "status LIKE '%'",
        "status ILIKE '%%'",
        "(status = 'x') IS TRUE OR (status = 'x') IS NOT TRUE",
        "$1::boolean",
        "$1",
        "id = $1 OR $2",
        "id = 1 OR $2::bool",
        "$1 AND $2",
        "current_user = 'etl'",
        "now() > '2000-01-01'",
        "random() < 2",
        "1 = 1 AND true",
        "app.customers.id = 1",
        "x.id = 1",
        "(((true)))",
        "NOT NOT true",
        "NOT false AND NOT false",
        // red-team round 26: a column compared with itself, spelled or converted otherwise
        "id = \"id\"",
        "\"status\" = status",
        "\"payments\".status = payments.status",
        "U&\"\\0069d\" = id",
        "NOT (\"id\" <> id)",
        "id::bigint = id",
        "CAST(id AS numeric) >= id",
        "id IN (id)",
        "id IN (1, \"id\")",
        "ROW(id) = ROW(id)",
        "status = status COLLATE \"C\"",
        "id IS NOT DISTINCT FROM \"id\"",
        "status LIKE status",
        "id BETWEEN id - 1 AND id + 1",
        "status ~ status",
        "id <= id + 0",
        "lower(status) = lower(status::text)",
        // red-team round 27 (T27-1): the row reached through a subquery over no stored relation
        "id IN (SELECT id)",
        "id IN (VALUES (id))",
        "id = (SELECT x FROM (SELECT id AS x) s)",
        "id = (WITH c AS (SELECT 1 AS k) SELECT id FROM c)",
        "id = (SELECT x FROM unnest(ARRAY[id]) x)",
        "EXISTS (SELECT 1 WHERE id = id)",
        "EXISTS (SELECT id)",
        "id IN (SELECT id LIMIT 1)",
        "id IN (SELECT id UNION SELECT 0)",
        "id IN (SELECT 0 UNION ALL SELECT id)",
        "id IN (SELECT generate_series(id, id))",
        "(id, status) IN (SELECT id, status)",
        "id = 5 OR id IN (SELECT id)",
        "id IN (SELECT payments.id FROM app.orders)",
        "id = ANY (SELECT id)",
        "NOT EXISTS (SELECT 1 WHERE id <> id)",
        // a correlated EXISTS whose own WHERE does not restrict the target's row
        "EXISTS (SELECT 1 FROM app.customers c WHERE payments.id = payments.id)",
        "EXISTS (SELECT 1 FROM app.customers c WHERE payments.id IS NOT NULL)",
        "EXISTS (SELECT 1 FROM app.customers c WHERE c.id = 1 OR payments.id = payments.id)",
        "EXISTS (SELECT count(*) FROM app.customers c WHERE c.id = payments.customer_id)",
        "EXISTS (SELECT 1 FROM app.customers c WHERE c.id = payments.customer_id HAVING true)",
        "EXISTS (SELECT payments.id FROM app.customers)",
        "NOT EXISTS (SELECT 1 FROM app.customers c WHERE payments.id <> payments.id)",
        // T27-2: a contradiction under NOT, and other ORs that let every value through
        "NOT (id = 5 AND NOT id = 5)",
        "NOT (id = 5 AND id <> 5)",
        "NOT (id <> id OR id < 0 AND id > 0)",
        "id = 5 OR NOT (id = 5 AND NOT id = 5)",
        "NOT (id < 0 AND id > 0)",
        "id < 6 OR id > 4",
        "id < 0 OR (id >= 0 AND id < 10) OR id >= 10",
        "id <= 5 OR id BETWEEN 5 AND 10 OR id > 9",
        "NOT (id > 5 AND id < 3)",
        "id NOT BETWEEN 5 AND 1",
        "NOT (id BETWEEN 5 AND 1)",
        "id IN (1, 2) OR id NOT IN (1, 2)",
        "id::bigint >= 6 OR id < 5.5",
        "status < 'b' OR status > 'a'",
        "NOT (status < 'b' AND status > 'c')",
        "status <> 'a' OR status <> 'b'",
        "created_at < now() OR created_at >= now()",
        "status LIKE 'a%' OR status NOT LIKE 'a%'",
        "status ~ 'a' OR status !~ 'a'",
        "(id = 5) IS NOT TRUE OR id = 5",
        // T27-3: a function of the row that holds for every value, or a range over every value
        "abs(id) >= 0",
        "length(status) >= 0",
        "status ~ ''",
        "status ~ '.*'",
        "status ~* 'x*'",
        "status ~ '^'",
        "num_nonnulls(id) = 1",
        "position('' in status) = 1",
        "id - id = 0",
        "id * 0 = 0",
        "id % 1 = 0",
        "extract(month FROM created_at) IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)",
        "extract(month FROM created_at) <> 13",
        "lower(status) <> 'ABC'",
        "id > -2147483649",
        "id >= -2147483648",
        "id < 99999999999",
        "id <> 2.5",
        "id NOT IN (2.5, 3.5)",
        "id BETWEEN -9999999999 AND 9999999999",
        "status >= ''",
        "created_at > '-infinity'",
        "created_at < 'infinity'",
        "amount <= 'NaN'",
        "status NOT LIKE ''",
        "status LIKE '_%' OR status = ''",
        "status SIMILAR TO '(a|b)*'",
        "status !~ 'a^'",
        "id <> ALL ('{}')",
        "NOT (id = ANY ('{}'))",
        "id IS DISTINCT FROM $1",
        "(id = $1) IS NOT TRUE",
        "status LIKE $1",
        "id NOT BETWEEN $1 AND $2",
        "CASE WHEN id = 5 THEN true ELSE id <> 5 END",
        "coalesce(id = 5, true)",
        "nullif(id, id) IS NULL",
        "status = 't' OR status = 'f'",
        "status IN ('yes', 'no')",
        // negative conditions hold for every value the column cannot take (red-team round 28,
        // T28-1), and NOT IN / NOT EXISTS of a subquery for every row when it finds nothing (T28-5)
        "id <> 5",
        "id <> 9223372036854775808",
        "id <> 1e30",
        "id::text <> 'x'",
        "id::float8 <> 'NaN'",
        "id IS DISTINCT FROM 9223372036854775808",
        "status IS DISTINCT FROM 'a'",
        "id::text NOT LIKE '%x%'",
        "status NOT LIKE 'pend%'",
        "id::text !~ 'x'",
        "id::text NOT IN ('x')",
        "id NOT IN (1, 2)",
        "NOT (id::text = 'x')",
        "NOT (id = 5 OR id = 6)",
        "id NOT IN (SELECT id FROM app.orders WHERE false)",
        "id NOT IN (SELECT -1::bigint FROM app.orders)",
        "NOT EXISTS (SELECT 1 FROM app.orders WHERE payments.id IS NULL)",
        "NOT EXISTS (SELECT 1 FROM app.customers c WHERE c.id = payments.customer_id)",
        "EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE payments.id IS NOT NULL)",
        // T28-2: a column cast to text, or to time, in a range, LIKE or regular expression
        "id::text < 'a'",
        "created_at::text LIKE '%-%'",
        "id::text ~ '\\d'",
        "id::text ~ '[[:digit:]]'",
        "created_at::time < '24:00'",
        // T28-3: a listed function whose deciding argument is not the column
        "coalesce(5, id) = 5",
        "btrim('', status) = ''",
        "trim(BOTH status FROM '') = ''",
        "coalesce($1, id) = 5",
        // T28-4: a JSON read of a converted column
        "(id::text::jsonb ->> 'k') IS NULL",
        "(id::text::jsonb ->> 'k') IS NOT DISTINCT FROM NULL",
        // T28-6, T28-9, T28-10: a range bound that is an extreme in disguise
        "created_at > '4713-01-01 BC'::timestamptz",
        "created_at::date > '4713-01-01 BC'::date",
        "id >= (SELECT min(id) FROM app.payments)",
        "id <= (SELECT max(id) FROM app.payments)",
        "id BETWEEN (SELECT min(id) FROM app.payments) AND (SELECT max(id) FROM app.payments)",
        "id > (SELECT -9223372036854775808)",
        "id > (VALUES (-9223372036854775808))",
        "id > -abs(9223372036854775807)",
        "id > -9223372036854775807 - 1",
        "id > ~9223372036854775807",
        "id > length('x') - 9223372036854775807",
        "id::text <> (SELECT 'x')",
        // T28-8: the target's own rows through a WITH item, a set operation, a derived table
        "id IN (WITH z AS (SELECT id FROM app.payments) SELECT id FROM z)",
        "id IN (SELECT id FROM app.payments UNION SELECT 0)",
        "id IN (SELECT id FROM app.payments INTERSECT SELECT id FROM app.payments)",
        "id IN (SELECT id FROM app.orders UNION ALL SELECT id FROM app.payments)",
        "id IN (SELECT id FROM (SELECT * FROM app.payments) s)",
        "id IN (SELECT s.id FROM LATERAL (SELECT * FROM app.payments) s)",
        "id IN (SELECT x.id FROM app.orders o JOIN app.payments x ON true)",
        "id = ANY (SELECT id FROM app.payments UNION SELECT 0)",
        "EXISTS (SELECT 1 FROM app.payments p2 WHERE p2.id = payments.id)",
        "id = ANY (ARRAY(SELECT id FROM app.payments))",
        "id = ANY ((SELECT array_agg(id) FROM app.payments))",
        // one expression's true, false and NULL, selected by several terms
        "(status = 'x') IS TRUE OR (status = 'x') IS FALSE",
        "status = 'x' OR (status = 'x') IS NOT TRUE",
        "(id = 5) IS NOT FALSE OR (id = 5) IS FALSE",
        "NOT (status = 'x') OR (status = 'x') IS TRUE",
        "(status = 'x') IS NOT TRUE OR (status = 'x') IS NOT FALSE",
        // red-team round 29: a LIMIT that keeps every row (T29-2)
        "id IN (SELECT id FROM app.payments LIMIT ALL)",
        "id IN (SELECT id FROM app.payments LIMIT NULL)",
        "id IN (SELECT id FROM app.payments LIMIT 9223372036854775807)",
        "id IN (SELECT id FROM app.payments LIMIT 1 + 9223372036854775806)",
        "id IN (SELECT id FROM app.payments LIMIT (SELECT count(*) FROM app.payments))",
        "id IN (SELECT id FROM app.payments FETCH FIRST 9223372036854775807 ROWS ONLY)",
        "id = ANY (SELECT id FROM app.payments LIMIT ALL)",
        "lower(status) IN (SELECT lower(status) FROM app.payments LIMIT ALL)",
        // T29-1: the target's own ids through ARRAY(...)
        "id = ANY (ARRAY(SELECT id FROM app.payments) || ARRAY[1::bigint])",
        "id = SOME (ARRAY(SELECT p2.id FROM app.payments p2))",
        "id = 1 OR id = ANY (ARRAY(SELECT id FROM app.payments))",
        "status = ANY (ARRAY(SELECT status FROM app.payments))",
        // T29-3: an extreme spelled otherwise
        "created_at >= 'J0'",
        "created_at >= 'j0'::timestamptz",
        "created_at::date >= 'J0'",
        "created_at >= '4714-11-24 BC 00:00:00+00'",
        "created_at >= '4714-11-24BC'",
        "created_at >= 'Nov 24 4714 BC 00:00 UTC'",
        "created_at < '294276-12-31 23:59:59.999999+00'",
        "created_at BETWEEN 'J0' AND '294276-12-31 23:59:59.999999+00'",
        "created_at::date < '5874897-12-31'",
        "amount < 'inf'",
        "amount < '+inf'",
        "amount::float8 < 'Inf'",
        "created_at >= '0000-01-01'",
        // T29-4: an OR reaching both ways over one column, against another column or the clock
        "id = customer_id OR id < customer_id OR id > customer_id",
        "amount = customer_id OR amount < customer_id OR customer_id < amount",
        "created_at = now() OR created_at < now() OR created_at > now()",
        "created_at < now() OR created_at > now() - interval '1 day'",
        "id < $1 OR id >= $1",
        // T29-7: a regular expression that finds a match in every non-empty value
        "status ~ '.'",
        "status ~ '^.'",
        "status ~ '[\\s\\S]'",
        "status ~* '\\w|\\W'",
        // T29-8: a date field that is the session's, not the value's
        "extract(timezone FROM created_at) = 0",
        "date_part('timezone_hour', created_at) = 0",
        "extract(timezone_minute FROM created_at) IN (0)",
      })
  void everyRowConditionsAreCaught(String where) {
    for (String sql :
        new String[] {
          "UPDATE app.payments SET status = status WHERE " + where,
          "DELETE FROM app.payments WHERE " + where,
          "WITH d AS (DELETE FROM app.payments WHERE " + where + " RETURNING id) SELECT 1",
        }) {
      assertTrue(one(sql).riskFlags().contains(RiskFlag.TAUTOLOGICAL_WHERE), sql);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "UPDATE app.payments p SET status = 'x' FROM app.customers c WHERE c.id = 1",
        "DELETE FROM app.payments USING app.customers c WHERE c.id = 1",
        "DELETE FROM app.payments p USING app.payments q WHERE p.id = q.id",
        "UPDATE app.payments p SET status = 'x' FROM app.payments q WHERE p.id = q.id",
        "MERGE INTO app.payments p USING app.customers c ON true WHEN MATCHED THEN DELETE",
        "MERGE INTO app.payments p USING app.customers c ON c.id = 1"
            + " WHEN MATCHED THEN UPDATE SET status = 'x'",
        "MERGE INTO app.payments p USING app.payments q ON p.id = q.id WHEN MATCHED THEN DELETE",
        "MERGE INTO app.payments p USING (SELECT id FROM app.payments) q ON p.id = q.id"
            + " WHEN MATCHED THEN DELETE",
        "MERGE INTO app.payments p USING app.customers c ON 1 = 1 WHEN MATCHED THEN DELETE",
        "INSERT INTO app.payments (id, customer_id, amount, card_number)"
            + " SELECT id, customer_id, amount, card_number FROM app.payments"
            + " ON CONFLICT (id) DO UPDATE SET status = 'x'",
        "UPDATE app.payments SET status = 'x' WHERE (SELECT count(*) FROM app.customers) > 0",
        // red-team round 25: with another relation beside the target, an unqualified column may
        // be that relation's; which one it is needs the catalog, so it restricts nothing
        "UPDATE app.payments SET status = status FROM (VALUES (1)) v(k) WHERE k = 1",
        "UPDATE app.payments SET status = status FROM app.customers WHERE email = 'a'",
        "UPDATE app.payments SET status = 'x' FROM app.customers c WHERE c.id = 1 AND id = 2",
        "DELETE FROM app.payments USING app.customers WHERE email = 'a'",
        "DELETE FROM app.payments USING app.customers WHERE full_name = 'a' AND (1 = 1)",
        "MERGE INTO app.payments USING (VALUES (1)) v(k) ON k = 1 WHEN MATCHED THEN DELETE",
        "WITH u AS (UPDATE app.payments SET status = 'x' FROM (VALUES (1)) v(k) WHERE k = 1"
            + " RETURNING id) SELECT 1",
        // red-team round 27: a WITH item over no stored relation, read by the WHERE's subquery
        "WITH c AS (SELECT 1 AS k) DELETE FROM app.payments WHERE id IN (SELECT id FROM c)",
        "WITH c AS (SELECT 1 AS k), d AS (SELECT k FROM c) UPDATE app.payments SET status ="
            + " status WHERE id = (SELECT id FROM d)",
        "MERGE INTO app.payments p USING (SELECT 1) s ON p.id IN (SELECT p.id)"
            + " WHEN MATCHED THEN UPDATE SET status = p.status",
        "MERGE INTO app.payments p USING (SELECT 1) s ON NOT (p.id = 5 AND p.id <> 5)"
            + " WHEN MATCHED THEN UPDATE SET status = p.status",
        "WITH x AS (UPDATE app.payments SET status = status WHERE id IN (SELECT id) RETURNING 1)"
            + " SELECT count(*) FROM x",
        "WITH q AS (SELECT id FROM app.payments) UPDATE app.payments SET status = status"
            + " WHERE id IN (SELECT id FROM q)",
        "MERGE INTO app.payments p USING (SELECT 1 AS k) s ON p.id::text <> 'x'"
            + " WHEN MATCHED THEN UPDATE SET status = p.status",
        "MERGE INTO app.payments p USING (SELECT 1 AS k) s ON p.id > (SELECT"
            + " -9223372036854775808) WHEN MATCHED THEN UPDATE SET status = p.status",
        "UPDATE app.payments SET status = status FROM (SELECT 1) s WHERE payments.id::text <> 'x'",
        "WITH q AS (SELECT id FROM app.payments) DELETE FROM app.payments WHERE id IN"
            + " (SELECT id FROM app.payments WHERE id IN (SELECT id FROM q))",
      })
  void everyRowShapesAreCaught(String sql) {
    assertTrue(one(sql).riskFlags().contains(RiskFlag.TAUTOLOGICAL_WHERE), sql);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "UPDATE app.payments SET status = 'settled' WHERE id = $1",
        "UPDATE app.payments SET status = $1 WHERE id = $2 AND status = 'pending'",
        "DELETE FROM app.payments WHERE id IN (1, 2, 3)",
        "DELETE FROM app.payments WHERE id IN (SELECT id FROM app.orders)",
        "DELETE FROM app.payments WHERE status = 'x' AND $1::boolean",
        "DELETE FROM app.payments WHERE created_at < now() - interval '1 year'",
        "UPDATE app.payments p SET status = 'x' FROM app.customers c"
            + " WHERE c.id = p.customer_id AND c.id = 1",
        "DELETE FROM app.payments WHERE EXISTS"
            + " (SELECT 1 FROM app.customers c WHERE c.id = payments.customer_id)",
        "MERGE INTO app.payments p USING app.customers c ON p.customer_id = c.id"
            + " WHEN MATCHED THEN DELETE",
        "INSERT INTO app.payments (customer_id, amount, card_number) VALUES (1, 2, 'x')"
            + " ON CONFLICT (id) DO UPDATE SET status = 'x'",
        "INSERT INTO app.payments (customer_id, amount, card_number)"
            + " SELECT 1, 2, 'x' FROM app.customers ON CONFLICT DO NOTHING",
        "DELETE FROM app.payments WHERE id = 1 OR id = 2",
        "DELETE FROM app.payments WHERE status IS NULL",
        // a conjunct that restricts still restricts beside one that reads a column twice
        "UPDATE app.payments SET status = 'x' WHERE id = 5 AND id::bigint = id",
        // qualified with the target, a column restricts the target's rows beside a join too
        "UPDATE app.payments SET status = 'x' FROM (VALUES (1)) v(k) WHERE payments.id = v.k",
        "DELETE FROM app.payments p USING app.customers c WHERE p.id = 7",
        // the restricting shapes stay restricting (red-team round 27's fix counts only these)
        "DELETE FROM app.payments WHERE id > 5",
        "DELETE FROM app.payments WHERE id BETWEEN 1 AND 10",
        "DELETE FROM app.payments WHERE id < 5 OR id > 6",
        "DELETE FROM app.payments WHERE id = 1 OR id = 2 OR id = 3",
        "DELETE FROM app.payments WHERE id > $1",
        "DELETE FROM app.payments WHERE id = ANY ($1)",
        "DELETE FROM app.payments WHERE id = ANY (ARRAY[1, 2])",
        "DELETE FROM app.payments WHERE status LIKE 'pend%'",
        "DELETE FROM app.payments WHERE lower(status) = 'pending'",
        "DELETE FROM app.payments WHERE lower(status) LIKE 'p%'",
        "DELETE FROM app.payments WHERE trim(status) = 'a'",
        "DELETE FROM app.payments WHERE status ~ '^pend'",
        "DELETE FROM app.payments WHERE status IN ('a', 'b')",
        "DELETE FROM app.payments WHERE (id, status) = (1, 'a')",
        "DELETE FROM app.payments WHERE status::text = 'a'",
        "DELETE FROM app.payments WHERE status COLLATE \"C\" = 'a'",
        "DELETE FROM app.payments WHERE date_trunc('day', created_at) = '2024-01-01'",
        "DELETE FROM app.payments WHERE extract(year FROM created_at) = 2024",
        "DELETE FROM app.payments WHERE coalesce(status, 'x') = 'y'",
        "DELETE FROM app.payments WHERE id + 1 = 5",
        "DELETE FROM app.payments WHERE created_at >= '2024-01-01' AND created_at < '2024-02-01'",
        "DELETE FROM app.payments WHERE created_at BETWEEN '2024-01-01' AND '2024-02-01'",
        "DELETE FROM app.payments WHERE amount > customer_id",
        "DELETE FROM app.payments WHERE status IS NOT DISTINCT FROM $1",
        "DELETE FROM app.payments WHERE (status = 'a') IS TRUE",
        "DELETE FROM app.payments WHERE created_at::date >= '2024-01-01'",
        "DELETE FROM app.payments WHERE created_at < now() - interval '30 days'",
        "DELETE FROM app.payments WHERE created_at < current_date - 7",
        "DELETE FROM app.payments WHERE created_at < date_trunc('month', now())",
        "DELETE FROM app.payments WHERE date(created_at) = '2024-01-01'",
        "DELETE FROM app.payments WHERE id = (SELECT max(id) FROM app.payments)",
        "DELETE FROM app.payments WHERE id IN (SELECT id FROM app.payments WHERE status = 'x')",
        "DELETE FROM app.payments WHERE id IN (SELECT id FROM app.payments LIMIT 100)",
        "DELETE FROM app.payments WHERE id IN (SELECT id FROM app.payments LIMIT $1)",
        "DELETE FROM app.payments WHERE id IN"
            + " (SELECT id FROM app.payments ORDER BY id FETCH FIRST 10 ROWS ONLY)",
        "DELETE FROM app.payments WHERE created_at < '2024-01-01T00:00:00Z'",
        "DELETE FROM app.payments WHERE created_at >= '2024-01-01 10:00:00+02'",
        "DELETE FROM app.payments WHERE extract(year FROM created_at) = 2024",
        "DELETE FROM app.payments WHERE date_part('year', created_at) = 2024",
        "DELETE FROM app.payments WHERE status ~ '^pend'",
        "DELETE FROM app.payments WHERE status ~ '[0-9]'",
        "DELETE FROM app.payments WHERE coalesce(status, 'x') = 'y'",
        "DELETE FROM app.payments WHERE id IN (SELECT 5)",
        "DELETE FROM app.payments WHERE id IN (SELECT o.id FROM app.orders o WHERE o.total > 5)",
        "WITH s AS (SELECT id FROM app.orders) DELETE FROM app.payments WHERE id IN (SELECT id"
            + " FROM s)",
        "DELETE FROM app.payments WHERE id IN (WITH s AS (SELECT id FROM app.orders) SELECT id"
            + " FROM s)",
      })
  void boundedWritesAreNot(String sql) {
    assertFalse(one(sql).riskFlags().contains(RiskFlag.TAUTOLOGICAL_WHERE), sql);
  }
}
