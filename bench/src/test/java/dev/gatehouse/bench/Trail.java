package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the audit trail in the control database says about a {@link Victim}'s numbered statements,
 * and {@code gatehouse audit verify} run as an operator runs it.
 */
final class Trail {

  private static final Pattern NUMBER = Pattern.compile("VALUES \\((\\d+)\\)");

  /** The statement records of one victim table, and which of them completed without an error. */
  record Victim(Map<Integer, Integer> decisions, Set<Integer> succeeded) {}

  private Trail() {}

  /** Reads the shipped records of {@code INSERT INTO <table> VALUES (n)} statements. */
  static Victim read(BenchStack stack, String table) throws SQLException {
    Map<Integer, Integer> decisions = new HashMap<>();
    Set<Integer> succeeded = new HashSet<>();
    try (Connection c = stack.pg().connectAsAdmin(stack.controlDatabase());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT d.doc ->> 'sql', o.id IS NOT NULL AND o.doc ->> 'sqlState' IS NULL"
                    + " AND o.doc ->> 'error' IS NULL"
                    + " FROM gatehouse_audit.audit_record d LEFT JOIN gatehouse_audit.audit_record o"
                    + " ON o.kind = 'OUTCOME' AND o.doc ->> 'statementId' = d.id::text"
                    + " WHERE d.kind = 'STATEMENT' AND d.doc ->> 'sql' LIKE 'INSERT INTO "
                    + table
                    + " VALUES%'")) {
      while (rs.next()) {
        Matcher m = NUMBER.matcher(rs.getString(1));
        if (m.find()) {
          int n = Integer.parseInt(m.group(1));
          decisions.merge(n, 1, Integer::sum);
          if (rs.getBoolean(2)) {
            succeeded.add(n);
          }
        }
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return new Victim(Map.of(), Set.of()); // nothing shipped yet: the schema is created then
      }
      throw e;
    }
    return new Victim(decisions, succeeded);
  }

  /**
   * Waits until the trail holds a completed record of every acknowledged statement, then asserts
   * the trail's successes are exactly the acknowledged ones, each decided once.
   */
  static Victim assertEqualsAcknowledged(BenchStack stack, String table, Set<Integer> acked)
      throws Exception {
    Victim v = assertHoldsAcknowledged(stack, table, acked);
    Set<Integer> extra = new HashSet<>(v.succeeded());
    extra.removeAll(acked);
    assertThat(extra).as("completed records of statements no client saw succeed").isEmpty();
    assertThat(v.decisions().values()).as("decision records per statement").allMatch(n -> n == 1);
    return v;
  }

  /**
   * Waits (bounded) until the trail holds a completed record of every acknowledged statement of a
   * victim that may still be running; asserts none is missing.
   */
  static Victim assertHoldsAcknowledged(BenchStack stack, String table, Set<Integer> acked)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Victim v = read(stack, table);
    while (!v.succeeded().containsAll(acked) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      v = read(stack, table);
    }
    Set<Integer> missing = new HashSet<>(acked);
    missing.removeAll(v.succeeded());
    assertThat(missing).as("acknowledged statements without a completed record").isEmpty();
    return v;
  }

  /** Runs {@code gatehouse audit verify} with {@code gateway}'s config; asserts it passes. */
  static String verify(BenchStack stack, Gateway gateway) throws Exception {
    Path dir = gateway.logFile().getParent();
    Path out = dir.resolve("verify.txt");
    ProcessBuilder verify =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Gateway.jar().toString(),
                "audit",
                "verify",
                "--config",
                dir.resolve("gatehouse.yaml").toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    verify.environment().putAll(stack.env());
    int exit = verify.start().waitFor();
    String text = Files.readString(out);
    assertThat(exit).as(text).isZero();
    assertThat(text).contains("audit trail intact");
    return text.strip();
  }
}
