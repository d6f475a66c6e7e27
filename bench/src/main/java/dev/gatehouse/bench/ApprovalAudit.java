package dev.gatehouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * What the shared audit trail says about each measured approval: the request and the use written by
 * the instance that held the statement, the approval by the DBA written by the other instance, and
 * the statement record that names the approval.
 *
 * @param steps per round, the approval's steps as {@code instance:STEP:actor}, in time order
 */
record ApprovalAudit(List<List<String>> steps, long statementRecords) {

  /** Whether the instance's log says its LISTEN connection was lost (waiters then poll). */
  static boolean listenerLost(Gateway gateway) throws IOException {
    return Files.readString(gateway.logFile()).contains("approval notification connection lost");
  }

  static ApprovalAudit check(
      BenchStack stack, List<ApprovalBench.Round> rounds, String approver, String holder)
      throws Exception {
    List<List<String>> all = new ArrayList<>();
    long statements = 0;
    try (Connection c = stack.pg().connectAsAdmin(stack.controlDatabase());
        PreparedStatement steps =
            c.prepareStatement(
                "SELECT instance_id || ':' || (doc ->> 'step') || ':' ||"
                    + " coalesce(doc -> 'actor' ->> 'subject', '')"
                    + " FROM gatehouse_audit.audit_record"
                    + " WHERE kind = 'APPROVAL' AND doc ->> 'approvalId' = ? ORDER BY at, seq");
        PreparedStatement statement =
            c.prepareStatement(
                "SELECT count(*) FROM gatehouse_audit.audit_record WHERE kind = 'STATEMENT'"
                    + " AND doc ->> 'approvalId' = ? AND doc ->> 'sql' = ? AND instance_id = ?")) {
      // The trail is shipped from each instance's local log (ADR 0004): the last rounds' records
      // may reach the control database a little after the rounds end, so wait for them (bounded).
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      List<String> wanted =
          List.of(holder + ":REQUESTED:", approver + ":APPROVED:dba", holder + ":USED:");
      for (ApprovalBench.Round r : rounds) {
        steps.setString(1, r.approvalId().toString());
        List<String> found = new ArrayList<>();
        while (true) {
          found.clear();
          try (ResultSet rs = steps.executeQuery()) {
            while (rs.next()) {
              found.add(rs.getString(1));
            }
          }
          boolean complete =
              wanted.stream().allMatch(w -> found.stream().anyMatch(s -> s.startsWith(w)));
          if (complete || System.nanoTime() > deadline) {
            break;
          }
          Thread.sleep(100);
        }
        for (String expected : wanted) {
          if (found.stream().noneMatch(s -> s.startsWith(expected))) {
            throw new IllegalStateException(
                "the audit trail of approval "
                    + r.approvalId()
                    + " lacks `"
                    + expected
                    + "`: "
                    + found);
          }
        }
        all.add(found);
        statement.setString(1, r.approvalId().toString());
        statement.setString(2, r.sql());
        statement.setString(3, holder);
        try (ResultSet rs = statement.executeQuery()) {
          rs.next();
          if (rs.getLong(1) < 1) {
            throw new IllegalStateException(
                "no statement record on " + holder + " names approval " + r.approvalId());
          }
          statements += rs.getLong(1);
        }
      }
    }
    return new ApprovalAudit(all, statements);
  }
}
