package dev.gatehouse.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU the control database spends for the gateway (issue 15): user and system time of every
 * PostgreSQL backend connected to it (the shipper's bulk inserts, approvals, the audit reads of the
 * bench's own checks), from {@code /proc}. A backend that started during the run counts from zero;
 * one that ended during it is lost, so the figure is a floor.
 */
final class ControlDbCpu {

  private ControlDbCpu() {}

  /** CPU seconds so far of each backend now connected to the stack's control database. */
  static Map<Long, Double> snapshot(BenchStack stack) throws SQLException {
    Map<Long, Double> cpu = new HashMap<>();
    try (Connection c = stack.pg().connectAsAdmin(stack.controlDatabase());
        PreparedStatement s =
            c.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
      s.setString(1, stack.controlDatabase());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          double seconds = CpuTime.secondsOrNaN(rs.getLong(1));
          if (!Double.isNaN(seconds)) {
            cpu.put(rs.getLong(1), seconds);
          }
        }
      }
    }
    return cpu;
  }

  /**
   * CPU seconds spent between two snapshots: each backend of {@code after} less what it had used at
   * {@code before} (nothing, when it is new since).
   */
  static double spent(Map<Long, Double> before, Map<Long, Double> after) {
    double total = 0;
    for (Map.Entry<Long, Double> e : after.entrySet()) {
      total += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0.0));
    }
    return total;
  }
}
