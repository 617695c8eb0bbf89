#!/usr/bin/python3
"""A real psycopg2 / SQLAlchemy program against `laminar serve --pg` (tests/e2e/psycopg.test.mjs).

    psycopg_client.py PORT STEP

Prints one JSON object: what the step saw. Steps:
  ddl      autocommit DDL: a stream and a view
  query    psycopg2's default mode (a transaction block around statements): parameters of several
           types, the result's rows and column type codes, commit; an error, then rollback and go on
  named    a named (server-side) cursor read in pieces of `itersize` rows (DECLARE / FETCH)
  ddl_tx   DDL without autocommit: the error psycopg2 reports
  alchemy  SQLAlchemy 1.4: connect (its start-up queries), a query with a bound parameter,
           inspect() table names
"""
import datetime
import json
import sys

import psycopg2

port = int(sys.argv[1])
step = sys.argv[2]
dsn = dict(host="127.0.0.1", port=port, user="py", dbname="laminar")
out = {}

if step == "ddl":
    conn = psycopg2.connect(**dsn)
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("CREATE TABLE py_ev (ts timestamptz NOT NULL, name text, ms double precision, n bigint)")
    out["create"] = cur.statusmessage
    cur.execute("CREATE MATERIALIZED VIEW py_by_name AS SELECT name, count(*) AS c, sum(ms) AS ms FROM py_ev GROUP BY name")
    out["view"] = cur.statusmessage
elif step == "query":
    conn = psycopg2.connect(**dsn)
    cur = conn.cursor()
    cur.execute(
        "SELECT name, c, ms FROM py_by_name WHERE name <> %s ORDER BY name LIMIT %s",
        ("zed", 5),
    )
    out["rows"] = [list(r) for r in cur.fetchall()]
    out["types"] = [d.type_code for d in cur.description]
    out["status_in_block"] = conn.get_transaction_status()  # psycopg2.extensions.TRANSACTION_STATUS_INTRANS: 2
    ts = datetime.datetime(2024, 5, 1, 0, 0, 20, tzinfo=datetime.timezone.utc)
    cur.execute("SELECT count(*), min(ts) FROM py_ev WHERE ts >= %s AND n > %s AND ms < %s", (ts, -1, 1e9))
    cnt, mn = cur.fetchone()
    out["count_since"] = cnt
    out["min_ts"] = mn.isoformat()
    conn.commit()
    try:
        cur.execute("SELECT nope FROM py_ev")
    except psycopg2.Error as e:
        out["error"] = [e.pgcode, e.pgerror.splitlines()[0]]
    try:
        cur.execute("SELECT 1")
    except psycopg2.Error as e:
        out["after_error"] = e.pgcode
    conn.rollback()
    cur.execute("SELECT count(*) FROM py_ev")
    out["after_rollback"] = cur.fetchone()[0]
    conn.commit()
elif step == "named":
    conn = psycopg2.connect(**dsn)
    cur = conn.cursor(name="big")
    cur.itersize = 7
    cur.execute("SELECT n FROM py_ev ORDER BY n")
    out["rows"] = [r[0] for r in cur]
    cur.close()
    conn.commit()
    cur = conn.cursor(name="some")
    cur.execute("SELECT n FROM py_ev ORDER BY n DESC")
    out["fetchmany"] = [r[0] for r in cur.fetchmany(3)]
    out["fetchone"] = cur.fetchone()[0]
    cur.close()
    conn.commit()
elif step == "ddl_tx":
    conn = psycopg2.connect(**dsn)
    cur = conn.cursor()
    try:
        cur.execute("CREATE TABLE py_other (ts timestamptz NOT NULL)")
    except psycopg2.Error as e:
        out["error"] = [e.pgcode, e.pgerror.splitlines()[0]]
    conn.rollback()
elif step == "alchemy":
    import sqlalchemy

    eng = sqlalchemy.create_engine(f"postgresql+psycopg2://py@127.0.0.1:{port}/laminar")
    with eng.connect() as c:
        r = c.execute(sqlalchemy.text("SELECT count(*) AS n FROM py_ev WHERE name = :name"), {"name": "alpha"})
        out["count_alpha"] = r.scalar()
    out["tables"] = sorted(sqlalchemy.inspect(eng).get_table_names())
elif step == "reflect":
    # SQLAlchemy's inspection (what MetaData.reflect, Table(autoload_with=...) and pandas'
    # read_sql_table use): columns of a stream and of a materialized view, enums (pg_enum).
    import sqlalchemy

    eng = sqlalchemy.create_engine(f"postgresql+psycopg2://py@127.0.0.1:{port}/laminar")
    insp = sqlalchemy.inspect(eng)
    out["columns"] = [[c["name"], str(c["type"]), c["nullable"]] for c in insp.get_columns("py_ev")]
    out["view_columns"] = [c["name"] for c in insp.get_columns("py_by_name")]
    md = sqlalchemy.MetaData()
    md.reflect(bind=eng)
    out["reflected"] = sorted(md.tables)
    t = sqlalchemy.Table("py_ev", sqlalchemy.MetaData(), autoload_with=eng)
    out["autoload"] = [c.name for c in t.columns]
    with eng.connect() as c:
        out["select_reflected"] = c.execute(sqlalchemy.select(sqlalchemy.func.count()).select_from(t)).scalar()
elif step == "pgcli":
    # pgcli's backslash commands (pgspecial, over psycopg2 here) and its completion queries
    # (pgcli.pgexecute over psycopg 3, which sends relkind = ANY(%s) with an array parameter).
    from pgspecial.main import PGSpecial
    from pgcli.pgexecute import PGExecute

    conn = psycopg2.connect(host="127.0.0.1", port=port, user="py", dbname="laminar")
    conn.autocommit = True
    cur = conn.cursor()
    special = PGSpecial()
    for cmd in ["\\dt", "\\dv", "\\dm", "\\d py_ev"]:
        for _title, rows, headers, _status in special.execute(cur, cmd):
            out[cmd] = [list(headers or []), [list(r) for r in rows] if rows else []]
    ex = PGExecute(database="laminar", user="py", password=None, host="127.0.0.1", port=port, dsn=None)
    out["schemata"] = list(ex.schemata())
    out["tables"] = [list(t) for t in ex.tables()]
    out["views"] = [list(t) for t in ex.views()]
    out["table_columns"] = [list(c[:4]) for c in ex.table_columns()]
    out["search_path"] = ex.search_path()
else:
    sys.exit(f"unknown step {step}")
print(json.dumps(out))
