package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.CommandComplete;
import dev.gatehouse.wire.protocol.backend.DataRow;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Close;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What runs is what was judged (red-team round 19). A portal outlives its statement in PostgreSQL,
 * so by the time a dba approves a write over its row bound, the client may have closed or replaced
 * the statement name its portal was bound from; the gateway's approved run parses the portal's own
 * text again instead of binding that name. And a portal is run only by an Execute the gateway
 * judged: a SQL {@code MOVE} or {@code FETCH} of a cursor the session did not declare through the
 * gateway (a protocol portal of a write held for approval, say) is refused.
 */
class ApprovedRunIdentityIT {

  private static final Pattern SSN = Pattern.compile("\\d{3}-\\d{2}-\\d{4}");

  static String db;
  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    db = TestPostgres.get().createShopDatabase("wire_approved_run_identity");
    proxy = ProxyFixture.reference(db, "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @AfterEach
  void noApprovalLeftPending() {
    assertThat(proxy.reference.approvals().pending()).isEmpty();
  }

  /** The unnamed statement replaced after the Bind: the approved no-op runs, not the new one. */
  @Test
  void anApprovedRunIsTheBoundTextNotWhatTheUnnamedStatementHoldsNow() throws Exception {
    List<BackendMessage> answers =
        approveAndRun(
            new Parse("", "UPDATE app.payments SET status = status WHERE id > 0", List.of()),
            new Bind("", "", List.of(), List.of(), List.of()),
            new Parse("", "UPDATE app.payments SET status = 'rt19-swapped'", List.of()),
            new Execute("", 0),
            new Sync());
    assertThat(answers).noneMatch(ErrorResponse.class::isInstance);
    assertThat(answers).contains(new CommandComplete("UPDATE 1000"));
    assertThat(count("app.payments", "status", "rt19-swapped")).isZero();
  }

  /** A named statement closed and parsed again after the Bind: the same. */
  @Test
  void anApprovedRunIsTheBoundTextNotWhatTheStatementNameHoldsNow() throws Exception {
    List<BackendMessage> answers =
        approveAndRun(
            new Parse("s", "UPDATE app.payments SET status = status WHERE id > 0", List.of()),
            new Bind("p", "s", List.of(), List.of(), List.of()),
            new Close('S', "s"),
            new Parse("s", "UPDATE app.payments SET status = 'rt19-swapped-named'", List.of()),
            new Execute("p", 0),
            new Sync());
    assertThat(answers).noneMatch(ErrorResponse.class::isInstance);
    assertThat(answers).contains(new CommandComplete("UPDATE 1000"));
    assertThat(count("app.payments", "status", "rt19-swapped-named")).isZero();
  }

  /**
   * The swap used to read: the replacement returns customers' columns, which its own masking would
   * hide, under the approved statement's verdict (it returns no rows, so nothing was masked).
   */
  @Test
  void anApprovedRunReturnsNothingOfAStatementSwappedIn() throws Exception {
    List<BackendMessage> answers =
        approveAndRun(
            new Parse("", "UPDATE app.payments SET status = status WHERE id > 0", List.of()),
            new Bind("", "", List.of(), List.of(), List.of()),
            new Parse(
                "",
                "UPDATE app.payments p SET status = p.status FROM app.customers c"
                    + " WHERE c.id = p.customer_id AND p.id <= 3"
                    + " RETURNING c.id, c.ssn, c.phone, c.email, c.card_number",
                List.of()),
            new Execute("", 0),
            new Sync());
    assertThat(answers).noneMatch(DataRow.class::isInstance);
    for (BackendMessage m : answers) {
      assertThat(m.toString()).doesNotContainPattern(SSN);
    }
  }

  /** A held no-WHERE UPDATE prepared and bound as a portal, then run by a SQL MOVE: refused. */
  @Test
  void aSqlMoveDoesNotRunAPortalOfAStatementHeldForApproval() throws Exception {
    try (RawClient raw = etl()) {
      raw.send(new Query("BEGIN"));
      raw.until('Z');
      raw.send(
          new Parse("w", "UPDATE app.payments SET status = 'rt19-moved' RETURNING id", List.of()),
          new Bind("w", "w", List.of(), List.of(), List.of()),
          new Sync());
      assertThat(raw.until('Z')).noneMatch(ErrorResponse.class::isInstance);
      raw.send(new Query("MOVE ALL IN w"));
      List<BackendMessage> moved = raw.until('Z');
      assertThat(moved).anyMatch(m -> m instanceof ErrorResponse e && e.sqlState().equals("42501"));
      assertThat(moved).noneMatch(CommandComplete.class::isInstance);
      raw.send(new Query("COMMIT"));
      raw.until('Z');
    }
    assertThat(count("app.payments", "status", "rt19-moved")).isZero();
  }

  /** The same in one pipeline, the MOVE prepared too, and a bounded write's portal besides. */
  @Test
  void aPreparedMoveDoesNotRunAPortalPastItsBound() throws Exception {
    try (RawClient raw = etl()) {
      raw.send(
          new Parse("w", "DELETE FROM app.payments WHERE id > 0 RETURNING id", List.of()),
          new Bind("w", "w", List.of(), List.of(), List.of()),
          new Parse("m", "MOVE ALL IN w", List.of()),
          new Bind("m", "m", List.of(), List.of(), List.of()),
          new Execute("m", 0),
          new Sync());
      List<BackendMessage> answers = raw.until('Z');
      assertThat(answers)
          .anyMatch(m -> m instanceof ErrorResponse e && e.sqlState().equals("42501"));
      assertThat(answers).noneMatch(CommandComplete.class::isInstance);
    }
    assertThat(countAll("app.payments")).isEqualTo(1000);
  }

  private static List<BackendMessage> approveAndRun(
      dev.gatehouse.wire.protocol.frontend.FrontendMessage... pipeline) throws Exception {
    try (RawClient raw = etl()) {
      raw.send(pipeline);
      ApprovalRequest request = ReferenceApprovalIT.pending(proxy);
      assertThat(request.sql()).isEqualTo("UPDATE app.payments SET status = status WHERE id > 0");
      proxy
          .reference
          .approvals()
          .approve(request.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA));
      return raw.until('Z');
    }
  }

  private static RawClient etl() throws Exception {
    return proxy.raw(ReferencePrincipal.ETL_NIGHTLY);
  }

  private static long count(String table, String column, String value) throws Exception {
    return scalar("SELECT count(*) FROM " + table + " WHERE " + column + " = '" + value + "'");
  }

  private static long countAll(String table) throws Exception {
    return scalar("SELECT count(*) FROM " + table);
  }

  private static long scalar(String sql) throws Exception {
    try (Connection admin = TestPostgres.get().connectAsAdmin(db);
        Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
