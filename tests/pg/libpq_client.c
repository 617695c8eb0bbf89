/* libpq_client: a real libpq program that runs a fixed script against Laminar's PostgreSQL
 * wire protocol server (src/pgwire). Driven by tests/e2e/libpq.test.mjs.
 *
 *   libpq_client CONNINFO setup STREAM VIEW
 *       CREATE TABLE STREAM, CREATE MATERIALIZED VIEW VIEW over it, a syntax error (42601).
 *   libpq_client CONNINFO query STREAM VIEW NAME1 NAME2 LIMIT
 *       a simple-protocol SELECT of the whole view; PQprepare + PQdescribePrepared +
 *       PQexecPrepared with NAME1, NAME2 and NULL (text parameters); PQexecParams with a binary
 *       int8 parameter (the LIMIT) and binary results.
 *   libpq_client CONNINFO cancel
 *       a cancel request (PQgetCancel + PQcancel) for the idle connection, which must change
 *       nothing; then SELECT pg_sleep(30), cancelled by PQcancel from another thread after about
 *       300 ms (repeated every 300 ms until the query returns): the result must be SQLSTATE 57014
 *       well before 30 s, and the same connection must go on answering (SHOW server_version,
 *       SELECT current_database()).
 *
 * Output: one line per step, stable for the test to compare:
 *   connect: ok protocol=3
 *   server_version: <ParameterStatus server_version>
 *   <step>: fields name:oid|name:oid|...      (results with columns)
 *   row: v1|v2|...                             (NULL as \N; binary values decoded)
 *   <step>: <PQcmdStatus>
 *   <step>: sqlstate <SQLSTATE>                (the expected error)
 *   describe: nparams=1 param0=<oid> nfields=3 fields name:oid|...
 *   idle_cancel: ok / cancel: sqlstate 57014: <message> / cancel_elapsed: under 10 s
 *   after_cancel: <value>                      (cancel mode: the connection still answers)
 *   finish: ok
 * Any unexpected result prints "fail: <step>: ..." and exits 1; usage errors exit 2. */
#define _DEFAULT_SOURCE
#include <endian.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

enum { OID_BOOL = 16, OID_INT8 = 20, OID_TEXT = 25, OID_FLOAT8 = 701 };

static PGconn *conn;

static void fail(const char *step, const char *fmt, const char *detail) {
  printf("fail: %s: ", step);
  printf(fmt, detail ? detail : "");
  printf("\n");
  fflush(stdout);
  if (conn) PQfinish(conn);
  exit(1);
}

static void fail_result(const char *step, PGresult *res) {
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
  printf("fail: %s: status %s sqlstate %s: %s", step,
         res ? PQresStatus(PQresultStatus(res)) : "(no result)", state ? state : "-",
         msg && *msg ? msg : "(no message)\n");
  fflush(stdout);
  if (res) PQclear(res);
  PQfinish(conn);
  exit(1);
}

/* Prints one binary-format value; fails on a type or length this client does not expect. */
static void print_binary(const char *step, PGresult *res, int r, int c) {
  const char *v = PQgetvalue(res, r, c);
  int len = PQgetlength(res, r, c);
  Oid type = PQftype(res, c);
  if (type == OID_INT8) {
    if (len != 8) fail(step, "binary int8 of length != 8%s", "");
    uint64_t be;
    memcpy(&be, v, 8);
    printf("%" PRId64, (int64_t)be64toh(be));
  } else if (type == OID_FLOAT8) {
    if (len != 8) fail(step, "binary float8 of length != 8%s", "");
    uint64_t be;
    double d;
    memcpy(&be, v, 8);
    be = be64toh(be);
    memcpy(&d, &be, 8);
    printf("%.17g", d);
  } else if (type == OID_BOOL) {
    if (len != 1) fail(step, "binary bool of length != 1%s", "");
    printf("%s", v[0] ? "t" : "f");
  } else if (type == OID_TEXT) {
    if (memchr(v, 0, (size_t)len)) fail(step, "binary text with a NUL byte%s", "");
    fwrite(v, 1, (size_t)len, stdout);
  } else {
    char oid[32];
    snprintf(oid, sizeof oid, "%u", (unsigned)type);
    fail(step, "unexpected binary column type %s", oid);
  }
}

static void print_field_list(const PGresult *res) {
  for (int c = 0; c < PQnfields(res); c++)
    printf("%s%s:%u", c ? "|" : "", PQfname(res, c), (unsigned)PQftype(res, c));
  printf("\n");
}

/* Checks a PGRES_TUPLES_OK result in the expected format, prints fields, rows and the tag, and
 * clears it. Returns the number of rows. */
static int print_rows(const char *step, PGresult *res, int binary) {
  if (PQresultStatus(res) != PGRES_TUPLES_OK) fail_result(step, res);
  printf("%s: fields ", step);
  print_field_list(res);
  for (int c = 0; c < PQnfields(res); c++)
    if (PQfformat(res, c) != binary) fail(step, "column in the wrong format%s", "");
  int n = PQntuples(res);
  for (int r = 0; r < n; r++) {
    printf("row: ");
    for (int c = 0; c < PQnfields(res); c++) {
      if (c) printf("|");
      if (PQgetisnull(res, r, c))
        printf("\\N");
      else if (binary)
        print_binary(step, res, r, c);
      else
        printf("%s", PQgetvalue(res, r, c));
    }
    printf("\n");
  }
  char expected[64];
  snprintf(expected, sizeof expected, "SELECT %d", n);
  if (strcmp(PQcmdStatus(res), expected) != 0) fail(step, "command tag %s", PQcmdStatus(res));
  printf("%s: %s\n", step, PQcmdStatus(res));
  PQclear(res);
  return n;
}

static void exec_command(const char *step, const char *sql, const char *tag) {
  PGresult *res = PQexec(conn, sql);
  if (PQresultStatus(res) != PGRES_COMMAND_OK) fail_result(step, res);
  if (strcmp(PQcmdStatus(res), tag) != 0) fail(step, "command tag %s", PQcmdStatus(res));
  printf("%s: %s\n", step, PQcmdStatus(res));
  PQclear(res);
}

/* Identifiers come from the test; keep them plain so they need no quoting. */
static int plain_identifier(const char *s) {
  if (!*s || strlen(s) > 60) return 0;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || *p == '_' || (p != s && *p >= '0' && *p <= '9'))) return 0;
  return 1;
}

static void setup(const char *stream, const char *view) {
  char sql[512];
  snprintf(sql, sizeof sql,
           "CREATE TABLE %s (ts timestamptz NOT NULL, k bigint, name text, x double precision)",
           stream);
  exec_command("create_table", sql, "CREATE TABLE");
  snprintf(sql, sizeof sql,
           "CREATE MATERIALIZED VIEW %s AS SELECT name, count(*) AS n, sum(k) AS sk, avg(x) AS ax "
           "FROM %s GROUP BY name",
           view, stream);
  exec_command("create_view", sql, "CREATE MATERIALIZED VIEW");

  PGresult *res = PQexec(conn, "SELEC name FROM nowhere");
  if (PQresultStatus(res) != PGRES_FATAL_ERROR) fail_result("syntax_error", res);
  const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  if (!state || strcmp(state, "42601") != 0) fail_result("syntax_error", res);
  const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY);
  const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  if (!severity || strcmp(severity, "ERROR") != 0 || !primary || !*primary)
    fail_result("syntax_error", res);
  printf("syntax_error: sqlstate %s\n", state);
  PQclear(res);
  /* The session survives the error. */
  if (PQstatus(conn) != CONNECTION_OK || PQtransactionStatus(conn) != PQTRANS_IDLE)
    fail("syntax_error", "connection not idle after the error%s", "");
}

static void query(const char *view, const char *name1, const char *name2, const char *limit_text) {
  char sql[512];
  snprintf(sql, sizeof sql, "SELECT name, n, sk, ax FROM %s ORDER BY name", view);
  print_rows("select_all", PQexec(conn, sql), 0);

  snprintf(sql, sizeof sql, "SELECT name, n, sk FROM %s WHERE name = $1", view);
  const Oid text_type[1] = {OID_TEXT};
  PGresult *res = PQprepare(conn, "by_name", sql, 1, text_type);
  if (PQresultStatus(res) != PGRES_COMMAND_OK) fail_result("prepare", res);
  printf("prepare: ok\n");
  PQclear(res);

  res = PQdescribePrepared(conn, "by_name");
  if (PQresultStatus(res) != PGRES_COMMAND_OK) fail_result("describe", res);
  if (PQnparams(res) != 1 || PQparamtype(res, 0) != OID_TEXT || PQnfields(res) != 3)
    fail("describe", "unexpected shape%s", "");
  printf("describe: nparams=%d param0=%u nfields=%d fields ", PQnparams(res),
         (unsigned)PQparamtype(res, 0), PQnfields(res));
  print_field_list(res);
  PQclear(res);

  const char *names[2] = {name1, name2};
  const char *steps[2] = {"exec_prepared_1", "exec_prepared_2"};
  for (int i = 0; i < 2; i++) {
    const char *values[1] = {names[i]};
    print_rows(steps[i], PQexecPrepared(conn, "by_name", 1, values, NULL, NULL, 0), 0);
  }
  const char *null_value[1] = {NULL};
  res = PQexecPrepared(conn, "by_name", 1, null_value, NULL, NULL, 0);
  if (print_rows("exec_prepared_null", res, 0) != 0)
    fail("exec_prepared_null", "name = NULL matched rows%s", "");

  char *end;
  long long limit = strtoll(limit_text, &end, 10);
  if (*end || end == limit_text) fail("exec_params_binary", "bad LIMIT %s", limit_text);
  uint64_t be = htobe64((uint64_t)limit);
  const char *values[1] = {(const char *)&be};
  const Oid int8_type[1] = {OID_INT8};
  const int lengths[1] = {8};
  const int formats[1] = {1};
  /* A view's WHERE reads dimensions only, so the int8 parameter is the LIMIT. */
  snprintf(sql, sizeof sql, "SELECT name, n, sk, ax FROM %s ORDER BY n DESC, name LIMIT $1", view);
  res = PQexecParams(conn, sql, 1, int8_type, values, lengths, formats, /*resultFormat=*/1);
  print_rows("exec_params_binary", res, 1);
}

/* One value of a one-row, one-column text result. */
static void print_single(const char *step, const char *sql) {
  PGresult *res = PQexec(conn, sql);
  if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 || PQnfields(res) != 1) fail_result(step, res);
  printf("%s: %s\n", step, PQgetvalue(res, 0, 0));
  PQclear(res);
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct cancel_job {
  PGcancel *cancel;
  atomic_int done; /* set by the main thread when the query returned */
  int ok;
  char err[256];
};

/* PQcancel after 300 ms, repeated every 300 ms until the query returns (a cancel request that
 * arrives before the statement starts is dropped with it), at most 30 times. */
static void *cancel_after_delay(void *arg) {
  struct cancel_job *job = arg;
  job->ok = 1;
  for (int i = 0; i < 30 && !atomic_load(&job->done); i++) {
    struct timespec delay = {0, 300 * 1000 * 1000};
    nanosleep(&delay, NULL);
    if (atomic_load(&job->done)) break;
    if (!PQcancel(job->cancel, job->err, (int)sizeof job->err)) {
      job->ok = 0;
      break;
    }
  }
  return NULL;
}

static void cancel(void) {
  PGcancel *handle = PQgetCancel(conn);
  if (!handle) fail("idle_cancel", "PQgetCancel returned NULL%s", "");
  char err[256];
  /* A cancel request while nothing runs is harmless. */
  if (!PQcancel(handle, err, (int)sizeof err)) fail("idle_cancel", "PQcancel: %s", err);
  printf("idle_cancel: ok\n");
  print_single("idle_after", "SHOW server_version");

  struct cancel_job job = {.cancel = handle};
  atomic_init(&job.done, 0);
  pthread_t thread;
  if (pthread_create(&thread, NULL, cancel_after_delay, &job) != 0) fail("cancel", "pthread_create failed%s", "");
  double start = now_seconds();
  PGresult *res = PQexec(conn, "SELECT pg_sleep(30)");
  double elapsed = now_seconds() - start;
  atomic_store(&job.done, 1);
  pthread_join(thread, NULL);
  if (!job.ok) fail("cancel", "PQcancel: %s", job.err);
  if (PQresultStatus(res) != PGRES_FATAL_ERROR) fail_result("cancel", res);
  const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  if (!state || strcmp(state, "57014") != 0 || !primary) fail_result("cancel", res);
  printf("cancel: sqlstate %s: %s\n", state, primary);
  PQclear(res);
  if (elapsed >= 10) fail("cancel_elapsed", "the cancelled query ran for %s", "10 s or more");
  printf("cancel_elapsed: under 10 s\n");
  PQfreeCancel(handle);

  /* The same connection goes on. */
  if (PQstatus(conn) != CONNECTION_OK || PQtransactionStatus(conn) != PQTRANS_IDLE)
    fail("after_cancel", "connection not idle after the cancel%s", "");
  print_single("after_cancel", "SHOW server_version");
  print_single("after_cancel", "SELECT current_database()");
}

int main(int argc, char **argv) {
  int is_setup = argc >= 3 && strcmp(argv[2], "setup") == 0;
  int is_query = argc >= 3 && strcmp(argv[2], "query") == 0;
  int is_cancel = argc >= 3 && strcmp(argv[2], "cancel") == 0;
  if (!(is_setup && argc == 5) && !(is_query && argc == 8) && !(is_cancel && argc == 3)) {
    fprintf(stderr,
            "usage: %s CONNINFO setup STREAM VIEW\n"
            "       %s CONNINFO query STREAM VIEW NAME1 NAME2 LIMIT\n"
            "       %s CONNINFO cancel\n",
            argv[0], argv[0], argv[0]);
    return 2;
  }
  if (!is_cancel && (!plain_identifier(argv[3]) || !plain_identifier(argv[4]))) {
    fprintf(stderr, "STREAM and VIEW must be plain lower-case identifiers\n");
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);

  conn = PQconnectdb(argv[1]);
  if (PQstatus(conn) != CONNECTION_OK) fail("connect", "%s", PQerrorMessage(conn));
  printf("connect: ok protocol=%d\n", PQprotocolVersion(conn));
  if (PQprotocolVersion(conn) != 3) fail("connect", "protocol is not 3%s", "");
  const char *version = PQparameterStatus(conn, "server_version");
  if (!version || !*version) fail("server_version", "no server_version parameter%s", "");
  printf("server_version: %s\n", version);
  const char *encoding = PQparameterStatus(conn, "client_encoding");
  if (!encoding || strcmp(encoding, "UTF8") != 0) fail("client_encoding", "%s", encoding);

  if (is_setup)
    setup(argv[3], argv[4]);
  else if (is_cancel)
    cancel();
  else
    query(argv[4], argv[5], argv[6], argv[7]);

  if (PQstatus(conn) != CONNECTION_OK) fail("finish", "%s", PQerrorMessage(conn));
  PQfinish(conn);
  conn = NULL;
  printf("finish: ok\n");
  return 0;
}
