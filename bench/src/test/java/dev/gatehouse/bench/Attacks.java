package dev.gatehouse.bench;

import dev.gatehouse.testkit.ReferencePrincipal;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The abuse of issue 18, each a bounded loop on threads of its own until {@link #close()}: deep
 * nesting from a principal granted nothing and from a granted one, many idle sessions, MCP session
 * squatting, huge statements, malformed frames and slowloris sockets. Each attack counts its tries
 * and what answered it, so the test can show every attack really ran and was answered as
 * documented.
 */
final class Attacks implements AutoCloseable {

  /** Tries and answers of one attack, e.g. {@code 42501} or {@code 404}. */
  record Tally(String attack, long tries, Map<String, Long> answers) {}

  /** The answer of an attack whose connection ended before it authenticated. */
  static final String CUT_OFF_IN_STARTUP = "cut off in startup";

  private final BenchStack stack;
  private final Gateway gateway;
  private final List<Thread> threads = new ArrayList<>();
  private final List<AutoCloseable> held = new ArrayList<>();
  private final ConcurrentMap<String, ConcurrentMap<String, AtomicLong>> answers =
      new ConcurrentHashMap<>();
  private volatile boolean stopped;
  private long idleStillOpen = -1;

  Attacks(BenchStack stack, Gateway gateway) {
    this.stack = stack;
    this.gateway = gateway;
  }

  /**
   * Starts every attack, none paced: with statement text in the trail bounded (issue 18), a
   * principal granted nothing flooding deep statements and 32 MiB ones no longer stalls the audit
   * writer past {@code durableTimeout} (unbounded, the victim was refused).
   */
  Attacks start(int idleSessions) throws Exception {
    for (int i = 0; i < idleSessions; i++) {
      held.add(connect(ReferencePrincipal.ANALYST)); // opened, then never used
    }
    count("idle sessions", "open", idleSessions);
    for (int i = 0; i < 8; i++) {
      loop(
          "deep nesting, granted nothing",
          0,
          () -> sql(ReferencePrincipal.CONTRACTOR, deep(3000, 0)));
    }
    Random random = new Random(18);
    for (int i = 0; i < 2; i++) {
      // Just under the lexer's depth limit, so it reaches the parser; a new alias each time, so
      // the analysis cache (by fingerprint) never answers it.
      loop(
          "deep nesting, granted",
          0,
          () -> sql(ReferencePrincipal.ANALYST, deep(150 + random.nextInt(49), random.nextInt())));
    }
    String huge = "SELECT '" + "x".repeat(32 << 20) + "'";
    loop("huge statement (32 MiB)", 0, () -> sql(ReferencePrincipal.CONTRACTOR, huge));
    loop("malformed frame", 0, this::malformed);
    McpHttp mcp = new McpHttp(gateway.httpPort());
    held.add(mcp);
    loop("mcp session squatting", 0, () -> squat(mcp));
    threads.add(Thread.ofPlatform().name("attack-slowloris").start(this::slowloris));
    return this;
  }

  private static String deep(int depth, int alias) {
    return "SELECT " + "(".repeat(depth) + "1" + ")".repeat(depth) + " AS a" + (alias & 0x7fffffff);
  }

  interface Try {
    String run() throws Exception;
  }

  private void loop(String attack, long pauseMillis, Try each) {
    threads.add(
        Thread.ofPlatform()
            .name("attack-" + attack)
            .start(
                () -> {
                  while (!stopped) {
                    String answer;
                    try {
                      answer = each.run();
                    } catch (Exception e) {
                      answer = e.getClass().getSimpleName();
                    }
                    count(attack, answer, 1);
                    if (pauseMillis > 0) {
                      try {
                        Thread.sleep(pauseMillis);
                      } catch (InterruptedException e) {
                        break;
                      }
                    }
                  }
                  RawWire w = session.get();
                  if (w != null) {
                    try {
                      w.close();
                    } catch (IOException e) {
                      // closing anyway
                    }
                  }
                }));
  }

  /** Each attacking thread's own session, reopened when the gateway ends it. */
  private final ThreadLocal<RawWire> session = new ThreadLocal<>();

  /**
   * Runs one simple-protocol statement on this thread's session as {@code who}; returns its
   * SQLSTATE or "ok". A raw session, because pgjdbc runs a statement while it connects that a
   * principal granted nothing is refused.
   */
  private String sql(ReferencePrincipal who, String text) throws IOException {
    RawWire w = session.get();
    if (w == null) {
      try {
        w = RawWire.login(gateway.wirePort(), who.subject(), stack.token(who), Map.of());
      } catch (IOException e) {
        return refusedLogin(e);
      }
      session.set(w);
    }
    try {
      w.query(text);
      RawWire.Message answer = w.until('Z');
      return answer.type() == 'E' ? answer.sqlState() : "ok";
    } catch (IOException e) {
      session.remove();
      w.close();
      throw e;
    }
  }

  /**
   * Sends a Query frame whose length word is shorter than itself, after authenticating; returns the
   * answer's SQLSTATE, the login's refusal (e.g. 53300), or {@link #CUT_OFF_IN_STARTUP} when the
   * connection ended before it was authenticated (the per-address bound closes an address's oldest
   * silent socket, and every attack shares the loopback address). A frame sent and answered by a
   * dropped connection is still reported as the exception, so the test can tell the two apart.
   */
  /** A failed login's SQLSTATE (53300: a quota), or {@link #CUT_OFF_IN_STARTUP}. */
  private static String refusedLogin(IOException e) {
    String refused = "login refused: ";
    String m = String.valueOf(e.getMessage());
    return m.startsWith(refused) ? m.substring(refused.length()) : CUT_OFF_IN_STARTUP;
  }

  private String malformed() throws IOException {
    RawWire login;
    try {
      login =
          RawWire.login(
              gateway.wirePort(),
              "contractor",
              stack.token(ReferencePrincipal.CONTRACTOR),
              Map.of());
    } catch (IOException e) {
      return refusedLogin(e);
    }
    try (RawWire w = login) {
      w.out.write(new byte[] {'Q', 0, 0, 0, 2});
      w.out.flush();
      RawWire.Message last = w.untilClosed();
      return last == null ? "closed without an error" : last.sqlState();
    }
  }

  /**
   * The owner (analyst) opens a session, the squatter (contractor) uses its id, the owner uses it
   * and then ends it, as a client does: a session holds its place in the owner's {@code
   * quotas.mcpSessionsPerPrincipal} until ended, so an owner that never ended them would be refused
   * its 21st {@code initialize} (429) by design, not by the squatter.
   */
  private String squat(McpHttp mcp) throws Exception {
    String owner = stack.token(ReferencePrincipal.ANALYST);
    String session = mcp.initialise(owner);
    try {
      HttpResponse<String> squat =
          mcp.post(stack.token(ReferencePrincipal.CONTRACTOR), session, McpHttp.LIST);
      HttpResponse<String> own = mcp.post(owner, session, McpHttp.LIST);
      return "squatter " + squat.statusCode() + ", owner " + own.statusCode();
    } finally {
      mcp.end(owner, session);
    }
  }

  /** 200 sockets that send a startup packet a byte every 500 ms; closed ones are replaced. */
  private void slowloris() {
    byte[] startup = RawWire.startup("analyst", Map.of());
    List<RawWire> sockets = new ArrayList<>();
    int[] sent = new int[200];
    try {
      while (!stopped) {
        for (int i = 0; i < 200 && !stopped; i++) {
          if (sockets.size() <= i) {
            sockets.add(new RawWire(gateway.wirePort()));
            count("slowloris", "opened", 1);
          }
          try {
            sockets.get(i).out.write(startup[sent[i]++ % startup.length]);
          } catch (IOException e) {
            count("slowloris", "closed by the gateway", 1);
            sockets.get(i).close();
            sockets.set(i, new RawWire(gateway.wirePort()));
            count("slowloris", "opened", 1);
            sent[i] = 0;
          }
        }
        Thread.sleep(500);
      }
    } catch (IOException | InterruptedException e) {
      count("slowloris", e.getClass().getSimpleName(), 1);
    } finally {
      for (RawWire s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }

  private Connection connect(ReferencePrincipal who) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", who.subject());
    p.setProperty("password", stack.token(who));
    p.setProperty("sslmode", "disable");
    p.setProperty("preferQueryMode", "simple");
    p.setProperty("socketTimeout", "60");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + gateway.wirePort() + "/shop", p);
  }

  private void count(String attack, String answer, long n) {
    answers
        .computeIfAbsent(attack, a -> new ConcurrentHashMap<>())
        .computeIfAbsent(answer, a -> new AtomicLong())
        .addAndGet(n);
  }

  /** What each attack got, tries included. */
  List<Tally> tallies() {
    List<Tally> out = new ArrayList<>();
    answers.forEach(
        (attack, byAnswer) -> {
          Map<String, Long> m = new java.util.TreeMap<>();
          byAnswer.forEach((k, v) -> m.put(k, v.get()));
          out.add(new Tally(attack, m.values().stream().mapToLong(Long::longValue).sum(), m));
        });
    out.sort(java.util.Comparator.comparing(Tally::attack));
    return out;
  }

  /** How many of the idle sessions were still open when the attacks stopped; -1 before. */
  long idleStillOpen() {
    return idleStillOpen;
  }

  @Override
  public void close() throws Exception {
    stopped = true;
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(90));
    }
    idleStillOpen = 0;
    for (AutoCloseable c : held) {
      if (c instanceof Connection conn && conn.isValid(10)) {
        idleStillOpen++;
      }
    }
    for (AutoCloseable c : held) {
      c.close();
    }
  }
}
