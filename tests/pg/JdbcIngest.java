// pgJDBC loading rows into `laminar serve --pg` (tests/e2e/pgingest.test.mjs), run with Java's
// source launcher: java -cp postgresql.jar JdbcIngest.java JDBC_URL TABLE
//
// Prints "step: value" lines:
//   batch: a PreparedStatement INSERT with parameters (setTimestamp, setString, setDouble,
//          setLong), 400 rows in addBatch/executeBatch with autocommit off, then commit: the
//          update counts' sum
//   copy:  CopyManager.copyIn of 250 CSV rows (autocommit on): the rows copied
//   count: the table's rows after both
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

public class JdbcIngest {
  public static void main(String[] args) throws Exception {
    String table = args[1];
    try (Connection conn = DriverManager.getConnection(args[0])) {
      Instant base = Instant.parse("2024-05-01T00:00:00Z");
      conn.setAutoCommit(false);
      int sum = 0;
      try (PreparedStatement ps =
               conn.prepareStatement("INSERT INTO " + table + " (ts, url, country, ms, n) VALUES (?, ?, ?, ?, ?)")) {
        for (int i = 4000; i < 4400; i++) {
          ps.setTimestamp(1, Timestamp.from(base.plusSeconds(i)));
          ps.setString(2, "/p/" + (i % 7));
          ps.setString(3, "c'" + (i % 3));
          ps.setDouble(4, i * 0.25);
          ps.setLong(5, i);
          ps.addBatch();
        }
        for (int n : ps.executeBatch()) sum += n;
      }
      conn.commit();
      System.out.println("batch: " + sum);
      conn.setAutoCommit(true);
      StringBuilder csv = new StringBuilder();
      for (int i = 5000; i < 5250; i++)
        csv.append(base.plusSeconds(i)).append(",/p/").append(i % 7).append(",\"c'").append(i % 3).append("\",")
            .append(i * 0.25).append(',').append(i).append('\n');
      CopyManager cm = conn.unwrap(PGConnection.class).getCopyAPI();
      long copied = cm.copyIn("COPY " + table + " (ts, url, country, ms, n) FROM STDIN WITH (FORMAT csv)",
                              new StringReader(csv.toString()));
      System.out.println("copy: " + copied);
      try (ResultSet rs = conn.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
        rs.next();
        System.out.println("count: " + rs.getLong(1));
      }
    }
  }
}
