"""psycopg 3 and psycopg2 through the Gatehouse wire proxy (driven by ClientMatrixIT).

Prints one JSON object: what each client got, or the error it raised, per check.
"""
import io
import json
import os
import sys

QUERY = "SELECT id, full_name, email, ssn FROM app.customers WHERE id <= 5 ORDER BY id"
out = {}


def check(name, fn):
    try:
        out[name] = fn()
    except Exception as e:  # the test reads the error text
        out[name] = {"error": type(e).__name__ + ": " + str(e).strip()}


def psycopg3():
    import psycopg

    def plain():
        with psycopg.connect(os.environ["DSN"]) as c:
            return [list(map(str, r)) for r in c.execute(QUERY).fetchall()]

    def named():
        with psycopg.connect(os.environ["DSN"]) as c:
            with c.cursor(name="gh_named", scrollable=True) as cur:
                cur.itersize = 2
                cur.execute(QUERY)
                first = cur.fetchmany(2)
                cur.scroll(0, mode="absolute")
                again = cur.fetchone()
                rest = cur.fetchall()
                return [list(map(str, r)) for r in first + [again] + rest]

    def copy():
        with psycopg.connect(os.environ["DSN"]) as c:
            cur = c.cursor()
            data = bytearray()
            with cur.copy("COPY (" + QUERY + ") TO STDOUT (FORMAT csv)") as copy:
                for block in copy:
                    data += block
            return data.decode().splitlines()

    def pipeline():
        with psycopg.connect(os.environ["DSN"]) as c:
            with c.pipeline():
                a = c.execute("SELECT email FROM app.customers WHERE id = %s", (1,))
                b = c.execute("SELECT count(*) FROM app.orders")
            return [str(a.fetchone()[0]), str(b.fetchone()[0])]

    check("psycopg3_plain", plain)
    check("psycopg3_named", named)
    check("psycopg3_copy", copy)
    check("psycopg3_pipeline", pipeline)


def psycopg2_checks():
    import psycopg2

    def named():
        c = psycopg2.connect(os.environ["DSN"])
        try:
            cur = c.cursor(name="gh_named2", withhold=True)
            cur.itersize = 2
            cur.execute(QUERY)
            return [list(map(str, r)) for r in cur]
        finally:
            c.close()

    def copy():
        c = psycopg2.connect(os.environ["DSN"])
        try:
            buf = io.StringIO()
            c.cursor().copy_expert("COPY (" + QUERY + ") TO STDOUT WITH CSV HEADER", buf)
            return buf.getvalue().splitlines()
        finally:
            c.close()

    def discard():
        c = psycopg2.connect(os.environ["DSN"])
        c.autocommit = True
        try:
            cur = c.cursor()
            cur.execute("DISCARD ALL")
            cur.execute("SELECT 1")
            return cur.fetchone()[0]
        finally:
            c.close()

    check("psycopg2_named", named)
    check("psycopg2_copy", copy)
    check("psycopg2_discard", discard)


psycopg3()
psycopg2_checks()
json.dump(out, sys.stdout)
