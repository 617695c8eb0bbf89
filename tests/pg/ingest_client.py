#!/usr/bin/python3
"""psycopg2 loading rows into `laminar serve --pg` (tests/e2e/pgingest.test.mjs).

    ingest_client.py PORT STEP TABLE

Prints one JSON object: what the step saw. psycopg2's default mode (a transaction block around
statements, committed by conn.commit()) throughout. Steps:
  executemany  cursor.executemany() of 500 rows (client-side parameters: one INSERT each), commit
  copy         copy_expert() of 300 rows in the text format and 200 in CSV with a header, commit
  bad          executemany() whose 3rd row has a bad timestamp: the error, rollback, and the count
               after (nothing of the block stored)
"""
import datetime
import io
import json
import sys

import psycopg2

port, step, table = int(sys.argv[1]), sys.argv[2], sys.argv[3]
conn = psycopg2.connect(host="127.0.0.1", port=port, user="py", dbname="laminar")
cur = conn.cursor()
base = datetime.datetime(2024, 5, 1, tzinfo=datetime.timezone.utc)
out = {}


def row(i):
    return (base + datetime.timedelta(seconds=i), "/p/%d" % (i % 7), "c'%d" % (i % 3), i * 0.25, i)


def count():
    cur.execute("SELECT count(*) FROM " + table)
    n = cur.fetchone()[0]
    conn.commit()
    return n


if step == "executemany":
    rows = [row(i) for i in range(500)]
    cur.executemany("INSERT INTO " + table + " (ts, url, country, ms, n) VALUES (%s, %s, %s, %s, %s)", rows)
    out["status"] = cur.statusmessage
    out["in_block"] = conn.get_transaction_status()
    conn.commit()
    out["count"] = count()
elif step == "copy":
    text = "".join("%s\t%s\t%s\t%s\t%s\n" % (r[0].isoformat(), r[1], r[2].replace("'", "\\'"), r[3], r[4])
                   for r in (row(i) for i in range(1000, 1300)))
    cur.copy_expert("COPY " + table + " (ts, url, country, ms, n) FROM STDIN", io.StringIO(text))
    out["text"] = cur.rowcount
    csv = "n,ts,url,country,ms\n" + "".join("%d,%s,%s,\"%s\",%s\n" % (r[4], r[0].isoformat(), r[1], r[2], r[3])
                                            for r in (row(i) for i in range(2000, 2200)))
    cur.copy_expert("COPY " + table + " FROM STDIN WITH (FORMAT csv, HEADER true)", io.StringIO(csv))
    out["csv"] = cur.rowcount
    conn.commit()
    out["count"] = count()
elif step == "bad":
    before = count()
    rows = [row(i) for i in range(3000, 3005)]
    rows[2] = ("not a time",) + rows[2][1:]
    try:
        cur.executemany("INSERT INTO " + table + " (ts, url, country, ms, n) VALUES (%s, %s, %s, %s, %s)", rows)
        out["error"] = None
    except psycopg2.Error as e:
        out["error"] = [e.pgcode, e.pgerror.strip()]
    conn.rollback()
    out["added"] = count() - before
print(json.dumps(out))
