package dev.gatehouse.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The durability settings the bench's PostgreSQL really runs with, read back from {@code
 * pg_settings}: a setting given on the server's command line wins over {@code ALTER SYSTEM}, so
 * what was asked for is not evidence of what is in force.
 */
final class Durability {

  private Durability() {}

  /** E.g. {@code fsync=off (command line), synchronous_commit=on (configuration file)}. */
  static String describe(BenchStack stack) throws Exception {
    List<String> parts = new ArrayList<>();
    try (Connection c = stack.pg().connectAsAdmin(stack.controlDatabase());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT name, setting, source FROM pg_settings WHERE name IN"
                    + " ('fsync', 'synchronous_commit', 'full_page_writes') ORDER BY name")) {
      while (rs.next()) {
        parts.add(rs.getString(1) + "=" + rs.getString(2) + " (" + rs.getString(3) + ")");
      }
    }
    return String.join(", ", parts);
  }
}
