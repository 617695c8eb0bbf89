// JdbcClient: a real JDBC program (the PostgreSQL JDBC driver, pgjdbc) that runs a fixed script
// against Laminar's PostgreSQL wire protocol server (src/pgwire). Driven by
// tests/e2e/jdbc.test.mjs; run with Java's source launcher, no build step:
//
//   java -cp /usr/share/java/postgresql.jar tests/pg/JdbcClient.java JDBC_URL MODE ARGS...
//
//   setup STREAM VIEW DIM
//       Statement.executeUpdate of CREATE TABLE STREAM, CREATE MATERIALIZED VIEW VIEW over it and
//       CREATE TABLE DIM WITH (kind = 'dimension'); a syntax error (42601) and an unknown table
//       (42P01) as SQLExceptions, after which the connection still answers.
//   query STREAM VIEW NAME
//       Statement.executeQuery of the whole view and of raw stream rows (ResultSetMetaData:
//       names, getColumnTypeName, getColumnType; getString/getLong/getDouble/getTimestamp/
//       getObject and wasNull); a PreparedStatement with a string, long, int, double and
//       timestamp parameter run 7 times (pgjdbc switches to a named server-side statement after
//       prepareThreshold = 5 executions).
//   meta STREAM VIEW DIM
//       DatabaseMetaData: product name and version, getSchemas, getTables, getColumns,
//       getPrimaryKeys, getTypeInfo, getSQLKeywords (its SQLException printed, not fatal).
//   cancel
//       Statement.setQueryTimeout(1) on SELECT pg_sleep(30): SQLState 57014 well before 30 s,
//       then the connection still answers.
//
// Output: one line per step, stable for the test to compare:
//   <step>: cols name:typeName:sqlType|...    (a result set's columns, ResultSetMetaData)
//   row: v1|v2|...                             (NULL as \N)
//   <step>: rows N
//   <step>: sqlstate SSSSS                     (an expected SQLException)
//   <step>: <value>
//   finish: ok
// Any unexpected result prints "fail: <step>: ..." and exits 1; usage errors exit 2.
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

public class JdbcClient {
  static Connection conn;

  static void out(String line) {
    System.out.println(line);
    System.out.flush();
  }

  static void fail(String step, String detail) {
    out("fail: " + step + ": " + detail);
    System.exit(1);
  }

  static void fail(String step, SQLException e) {
    fail(step, "sqlstate " + e.getSQLState() + ": " + e.getMessage());
  }

  // A cell as the test compares it: NULL as \N, timestamps as UTC ISO-8601 instants.
  static String cell(ResultSet rs, int col) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int type = md.getColumnType(col);
    String text;
    if (type == java.sql.Types.TIMESTAMP || type == java.sql.Types.TIMESTAMP_WITH_TIMEZONE) {
      Timestamp t = rs.getTimestamp(col);
      text = t == null ? null : t.toInstant().toString();
    } else if (type == java.sql.Types.BIGINT) {
      long v = rs.getLong(col);
      text = rs.wasNull() ? null : Long.toString(v);
    } else if (type == java.sql.Types.DOUBLE) {
      double v = rs.getDouble(col);
      text = rs.wasNull() ? null : Double.toString(v);
    } else {
      text = rs.getString(col);
    }
    if (text == null) {
      if (rs.getObject(col) != null) fail("cell", "getObject is not null where the value is NULL");
      return "\\N";
    }
    return text;
  }

  static String cols(ResultSetMetaData md) throws SQLException {
    List<String> parts = new ArrayList<>();
    for (int c = 1; c <= md.getColumnCount(); c++)
      parts.add(md.getColumnLabel(c) + ":" + md.getColumnTypeName(c) + ":" + md.getColumnType(c));
    return String.join("|", parts);
  }

  // Prints a whole result set; returns its row count.
  static int print(String step, ResultSet rs) throws SQLException {
    out(step + ": cols " + cols(rs.getMetaData()));
    int n = 0;
    int count = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      List<String> cells = new ArrayList<>();
      for (int c = 1; c <= count; c++) cells.add(cell(rs, c));
      out("row: " + String.join("|", cells));
      n++;
    }
    out(step + ": rows " + n);
    rs.close();
    return n;
  }

  // Prints the named columns of a metadata result set, one row a line.
  static int printColumns(String step, ResultSet rs, String... names) throws SQLException {
    out(step + ": cols " + String.join("|", names));
    int n = 0;
    while (rs.next()) {
      List<String> cells = new ArrayList<>();
      for (String name : names) {
        String v = rs.getString(name);
        cells.add(v == null ? "\\N" : v);
      }
      out("row: " + String.join("|", cells));
      n++;
    }
    out(step + ": rows " + n);
    rs.close();
    return n;
  }

  // Runs `sql`, which must fail; prints its SQLState.
  static void expectError(String step, String sql) {
    try (Statement st = conn.createStatement()) {
      st.executeQuery(sql);
      fail(step, "no error");
    } catch (SQLException e) {
      out(step + ": sqlstate " + e.getSQLState());
    }
  }

  static String scalar(String sql) throws SQLException {
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      if (!rs.next()) fail("scalar", "no row for " + sql);
      return rs.getString(1);
    }
  }

  static void setup(String stream, String view, String dim) throws SQLException {
    String step = "create_table";
    try (Statement st = conn.createStatement()) {
      int n = st.executeUpdate("CREATE TABLE " + stream
          + " (ts timestamptz NOT NULL, name text, k bigint, x double precision)");
      out(step + ": " + n);
      step = "create_view";
      n = st.executeUpdate("CREATE MATERIALIZED VIEW " + view + " AS SELECT date_trunc('hour', ts) AS hour, name,"
          + " count(*) AS n, sum(k) AS sk, avg(x) AS ax FROM " + stream + " GROUP BY 1, 2");
      out(step + ": " + n);
      step = "create_dimension";
      n = st.executeUpdate("CREATE TABLE " + dim + " (code text NOT NULL, label text, weight double precision)"
          + " WITH (kind = 'dimension')");
      out(step + ": " + n);
    } catch (SQLException e) {
      fail(step, e);
    }
    expectError("syntax_error", "SELEC 1");
    expectError("unknown_table", "SELECT * FROM jdbc_no_such_table");
    out("after_errors: " + scalar("SELECT 40 + 2"));
  }

  static void query(String stream, String view, String name) throws SQLException {
    String step = "view_all";
    try (Statement st = conn.createStatement()) {
      print(step, st.executeQuery("SELECT hour, name, n, sk, ax FROM " + view + " ORDER BY hour, name"));
      step = "raw_rows";
      print(step, st.executeQuery("SELECT ts, name, k, x FROM " + stream + " ORDER BY ts LIMIT 3"));
      step = "objects";
      try (ResultSet rs = st.executeQuery("SELECT name, n, ax FROM " + view + " ORDER BY n DESC, name LIMIT 1")) {
        rs.next();
        out(step + ": " + rs.getObject(1).getClass().getSimpleName() + " " + rs.getObject(2).getClass().getSimpleName()
            + " " + rs.getObject(3).getClass().getSimpleName());
      }
    } catch (SQLException e) {
      fail(step, e);
    }
    step = "prepared";
    String sql = "SELECT name, count(*) AS c, sum(k) AS sk FROM " + stream
        + " WHERE name = ? AND k > ? AND k < ? AND x < ? AND ts >= ? GROUP BY name";
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      for (int i = 1; i <= 7; i++) {
        ps.setString(1, name);
        ps.setLong(2, -1000000000000L);
        ps.setInt(3, 1000000);
        ps.setDouble(4, 1e12);
        ps.setTimestamp(5, Timestamp.from(Instant.parse("2024-01-08T10:00:00Z")));
        print(step + "_" + i, ps.executeQuery());
      }
    } catch (SQLException e) {
      fail(step, e);
    }
  }

  static void meta(String stream, String view, String dim) throws SQLException {
    String step = "product";
    try {
      DatabaseMetaData md = conn.getMetaData();
      out(step + ": " + md.getDatabaseProductName() + " " + md.getDatabaseProductVersion() + " major="
          + md.getDatabaseMajorVersion());
      step = "schemas";
      printColumns(step, md.getSchemas(), "TABLE_SCHEM");
      step = "tables";
      printColumns(step, md.getTables(null, "public", "%", null), "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE");
      step = "tables_typed";
      printColumns(step, md.getTables(null, "public", "%", new String[] {"MATERIALIZED VIEW"}), "TABLE_NAME", "TABLE_TYPE");
      step = "columns_view";
      printColumns(step, md.getColumns(null, "public", view, "%"), "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME",
          "ORDINAL_POSITION", "IS_NULLABLE", "NULLABLE");
      step = "columns_stream";
      printColumns(step, md.getColumns(null, "public", stream, "%"), "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME",
          "ORDINAL_POSITION", "IS_NULLABLE");
      step = "columns_dim";
      printColumns(step, md.getColumns(null, null, dim, "lab%"), "COLUMN_NAME", "TYPE_NAME", "ORDINAL_POSITION");
      step = "primary_keys";
      printColumns(step, md.getPrimaryKeys(null, "public", stream), "COLUMN_NAME");
      step = "type_info";
      try (ResultSet rs = md.getTypeInfo()) {
        List<String> names = new ArrayList<>();
        while (rs.next()) names.add(rs.getString("TYPE_NAME") + ":" + rs.getInt("DATA_TYPE"));
        out(step + ": " + String.join("|", names));
      }
      step = "keywords";
      try {
        // PostgreSQL's keywords that are not SQL:2003 keywords, comma-separated (pg_get_keywords()).
        out(step + ": " + md.getSQLKeywords());
      } catch (SQLException e) {
        out(step + ": sqlstate " + e.getSQLState() + ": " + e.getMessage().replace('\n', ' '));
      }
    } catch (SQLException e) {
      fail(step, e);
    }
  }

  static void cancel() throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.setQueryTimeout(1);
      long start = System.nanoTime();
      try {
        st.executeQuery("SELECT pg_sleep(30)");
        fail("timeout", "no error");
      } catch (SQLException e) {
        out("timeout: sqlstate " + e.getSQLState());
      }
      double secs = (System.nanoTime() - start) / 1e9;
      out("timeout_elapsed: " + (secs < 10 ? "under 10 s" : secs + " s"));
    }
    out("after_timeout: " + scalar("SELECT current_setting('application_name')"));
  }

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: JdbcClient JDBC_URL setup|query|meta|cancel ARGS...");
      System.exit(2);
    }
    String mode = args[1];
    int want = switch (mode) {
      case "setup", "query", "meta" -> 5;
      case "cancel" -> 2;
      default -> -1;
    };
    if (args.length != want) {
      System.err.println("usage: JdbcClient JDBC_URL setup|meta STREAM VIEW DIM | query STREAM VIEW NAME | cancel");
      System.exit(2);
    }
    try {
      conn = DriverManager.getConnection(args[0]);
    } catch (SQLException e) {
      fail("connect", e);
    }
    try {
      out("connect: " + conn.getMetaData().getDatabaseProductVersion());
      switch (mode) {
        case "setup" -> setup(args[2], args[3], args[4]);
        case "query" -> query(args[2], args[3], args[4]);
        case "meta" -> meta(args[2], args[3], args[4]);
        default -> cancel();
      }
      conn.close();
    } catch (SQLException e) {
      fail(mode, e);
    }
    out("finish: ok");
  }
}
