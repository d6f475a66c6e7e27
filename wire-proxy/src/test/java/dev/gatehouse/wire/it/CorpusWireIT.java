package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.testkit.CorpusCase;
import dev.gatehouse.testkit.Eventually;
import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.Secrets;
import dev.gatehouse.testkit.TestPostgres;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the shared corpus over the wire, as its principal, with the reference policy: deny
 * is 42501 on a connection that stays usable, approval sends the notice (and, denied by a dba,
 * never runs), masked results carry no secret, allowed statements return PostgreSQL's own result
 * (compared with the same statement run directly, as the decision's upstream role, on a second copy
 * of the database that saw the same statements in the same order).
 */
class CorpusWireIT {

  static ProxyFixture proxy;
  static String direct;

  @BeforeAll
  static void start() {
    TestPostgres pg = TestPostgres.get();
    String throughProxy = pg.createShopDatabase("wire_corpus");
    direct = pg.createShopDatabase("wire_corpus_direct");
    proxy = ProxyFixture.reference(throughProxy, "");
  }

  @AfterAll
  static void stop() throws SQLException {
    for (Connection c : SHARED.values()) {
      c.close();
    }
    proxy.close();
  }

  private static final java.util.Map<ReferencePrincipal, Connection> SHARED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static Connection connect(ReferencePrincipal who) {
    try {
      return proxy.connect(
          who, TestPostgres.SHOP, "preferQueryMode=simple&assumeMinServerVersion=9.4");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<CorpusCase> cases() {
    return CorpusCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void holdsOverTheWire(CorpusCase c) throws Exception {
    ReferencePrincipal who = ReferencePrincipal.of(c.principal());
    if (c.expect().equals("deny")) {
      // A case expected to be denied runs nothing, so it shares one connection per principal,
      // checked usable after each (on a bug that runs it, this case fails first): most of the
      // corpus, and most of its time was connections being opened.
      try (Statement s = SHARED.computeIfAbsent(who, CorpusWireIT::connect).createStatement()) {
        Outcome outcome = run(s, c.sql());
        assertThat(outcome.sqlState).as(c.id() + ": " + outcome.error).isEqualTo("42501");
        stillUsable(s);
      }
      return;
    }
    try (Connection conn = connect(who);
        Statement s = conn.createStatement()) {
      String expect = c.expect();
      if (expect.equals("approval") || expect.equals("approval_by_count")) {
        approval(c, who, s);
        return;
      }
      Outcome outcome = run(s, c.sql());
      switch (expect) {
        case "masked" -> assertNoSecret(c, outcome);
        case "deny_or_masked" -> {
          if (outcome.sqlState != null) {
            assertThat(outcome.sqlState).as(c.id() + ": " + outcome.error).isEqualTo("42501");
          } else {
            assertNoSecret(c, outcome);
          }
        }
        case "no_leak" -> {
          // runs, fails or is denied; no cell and no error field carries a secret
          assertThat(Secrets.findIn(outcome.error)).as(c.id() + ": " + outcome.error).isNull();
          outcome.error = null;
          assertNoSecret(c, outcome);
          stillUsable(s);
        }
        case "allow" -> {
          assertThat(outcome.error).as(c.id()).isNull();
          assertThat(outcome.cells).as(c.id()).isEqualTo(directly(who, c.sql()).cells);
        }
        default -> {
          assertThat(expect).startsWith("clear:");
          assertThat(outcome.error).as(c.id()).isNull();
          assertThat(String.join("\n", outcome.cells)).contains(expect.substring(6));
        }
      }
    }
  }

  private static void approval(CorpusCase c, ReferencePrincipal who, Statement s) throws Exception {
    CompletableFuture<SQLWarning> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                s.execute(c.sql());
                return s.getWarnings();
              } catch (SQLException e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    ApprovalRequest request = null;
    java.util.concurrent.atomic.AtomicReference<ApprovalRequest> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    Eventually.holdsWithin(
        Duration.ofSeconds(20),
        () -> {
          seen.set(
              proxy.reference.approvals().pending().stream()
                  .filter(r -> r.requesterSubject().equals(who.subject()))
                  .findFirst()
                  .orElse(null));
          return seen.get() != null || run.isDone();
        });
    request = seen.get();
    assertThat(request)
        .as(c.id() + ": no approval request (finished: " + run.isDone() + ")")
        .isNotNull();
    proxy
        .reference
        .approvals()
        .deny(request.id(), ApprovalIT.principal(proxy, ReferencePrincipal.DBA), "corpus");
    try {
      run.get(20, TimeUnit.SECONDS);
      throw new AssertionError(c.id() + ": ran although the approval was denied");
    } catch (java.util.concurrent.ExecutionException e) {
      SQLException sql = (SQLException) e.getCause();
      assertThat(sql.getSQLState()).as(c.id()).isEqualTo("42501");
    }
    SQLWarning notice = s.getWarnings();
    assertThat(notice == null ? "" : notice.getMessage())
        .contains("waiting for approval `" + request.id());
    stillUsable(s);
  }

  private static void stillUsable(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT 1")) {
      assertThat(rs.next()).isTrue();
    } catch (SQLException e) {
      // A principal allowed nothing gets 42501 again, but on a live connection.
      assertThat(e.getSQLState()).isEqualTo("42501");
    }
  }

  private static void assertNoSecret(CorpusCase c, Outcome outcome) {
    assertThat(outcome.error).as(c.id()).isNull();
    for (String cell : outcome.cells) {
      Secrets.Secret leaked = Secrets.findIn(cell);
      assertThat(leaked)
          .as(
              c.id()
                  + " leaked "
                  + (leaked == null ? "" : leaked.form() + " of " + leaked.column()))
          .isNull();
    }
  }

  /** The same statement run directly as the decision's upstream role on the direct copy. */
  private static Outcome directly(ReferencePrincipal who, String sql) throws Exception {
    Principal principal =
        proxy
            .reference
            .gate()
            .authenticate(
                ProxyFixture.token(who),
                new RequestContext(Channel.CLI, null, null, null, Instant.now()));
    Verdict verdict =
        proxy
            .reference
            .gate()
            .decide(
                principal,
                new RequestContext(Channel.WIRE, TestPostgres.SHOP, null, null, Instant.now()),
                AnalysisContext.DEFAULT,
                sql);
    String role = verdict.decision().obligations().upstreamRole();
    TestPostgres pg = TestPostgres.get();
    TestPostgres.UpstreamRole upstream =
        switch (role) {
          case "gatehouse_reader" -> pg.reader();
          case "gatehouse_reader_cleared" -> pg.readerCleared();
          case "gatehouse_writer" -> pg.writer();
          default -> pg.owner();
        };
    try (Connection c = pg.connect(direct, upstream);
        Statement s = c.createStatement()) {
      if (verdict.decision().obligations().readOnly()) {
        s.execute("SET default_transaction_read_only = on");
      }
      return run(s, sql);
    }
  }

  /** Every cell of every result (or the COPY output), or the error. */
  static Outcome run(Statement s, String sql) {
    Outcome o = new Outcome();
    try {
      if (sql.strip().toUpperCase(Locale.ROOT).startsWith("COPY")) {
        StringWriter out = new StringWriter();
        new org.postgresql.copy.CopyManager(
                s.getConnection().unwrap(org.postgresql.core.BaseConnection.class))
            .copyOut(sql, out);
        o.cells.add(out.toString());
        return o;
      }
      boolean rows = s.execute(sql);
      while (true) {
        if (rows) {
          try (ResultSet rs = s.getResultSet()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              for (int i = 1; i <= n; i++) {
                o.cells.add(rs.getString(i));
              }
            }
          }
        } else if (s.getUpdateCount() == -1) {
          break;
        } else {
          o.cells.add("count:" + s.getUpdateCount());
        }
        rows = s.getMoreResults();
      }
    } catch (SQLException e) {
      o.sqlState = e.getSQLState();
      o.error = e.getMessage();
    } catch (java.io.IOException e) {
      o.error = e.getMessage();
    }
    return o;
  }

  static final class Outcome {
    final List<String> cells = new ArrayList<>();
    String sqlState;
    String error;
  }
}
