package dev.gatehouse.engine.sql.lex;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lexer against PostgreSQL's own scanner, on string constants built at random from the pieces
 * where the two have drifted apart before: a non-ASCII digit after {@code $} (red-team round 40), a
 * continued {@code E''} string (round 41), byte and surrogate escapes (round 42), backslashes,
 * comments and newlines between the parts of a continued constant. Each text {@code t} reaches the
 * server's own scanner through PL/pgSQL's EXECUTE, with no client parsing in between.
 *
 * <p>The server is asked through {@code SET LOCAL lexdiff.v = t}, which takes one string constant
 * and nothing else, and gives its value back. Wherever either side reads {@code t} as exactly one
 * string constant, the other must read the same constant with the same value. A text the gateway
 * refuses while the server reads a constant is a false refusal, the safe direction: counted, and
 * bounded. {@code -Dgatehouse.lexdiff.cases=200000} runs longer (docs/operations.md).
 */
class LexerDifferentialIT {

  // Bit strings and N'' are left to LexerTest: SET takes neither.
  private static final List<String> OPEN =
      List.of("'", "E'", "e'", "$$", "$a$", "$\u0661$", "$\u00e4$", "$_1$", "U&'");

  private static final List<String> BODY =
      List.of(
          "a",
          "0",
          "1",
          "f",
          " ",
          "\\",
          "\\\\",
          "\\'",
          "''",
          "'",
          "\\x4",
          "\\101",
          "\\u0041",
          "\n",
          "\r",
          "$",
          "$$",
          "$a$",
          "$\u0661$",
          "--",
          "/*",
          "*/",
          ";",
          "\u0661",
          "\u3000",
          "x",
          "\"",
          "E'",
          "$1",
          "\\xc3\\xa9",
          "\\xff",
          "\\0",
          "\\777",
          "\\u00e9",
          "\\ud83d\\ude00",
          "\\ud83d",
          "\\U0001F600",
          "\\00e9",
          "\\+01F600",
          "\\d83d\\de00",
          "\u00e9",
          "\ud83d\ude00");

  private static final List<String> BETWEEN =
      List.of("\n", " \n ", " -- c\n", "\n-- c\n", "\r", "\n/* c */", " ", "\n\n");

  private static Connection db;

  @BeforeAll
  static void probe() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    db = pg.connectAsAdmin(pg.createEmptyDatabase("lexdiff"));
    try (Statement s = db.createStatement()) {
      // SET takes one string constant and nothing else (an alias, an operator, a second
      // constant are syntax errors), and a custom setting keeps its value as written.
      s.execute(
          "CREATE FUNCTION lexprobe(t text) RETURNS text LANGUAGE plpgsql AS $f$"
              + " BEGIN EXECUTE 'SET LOCAL lexdiff.v = ' || t;"
              + " RETURN current_setting('lexdiff.v');"
              + " EXCEPTION WHEN others THEN RETURN NULL; END $f$");
    }
  }

  @AfterAll
  static void close() throws SQLException {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void whereEitherReadsOneStringConstantBothReadTheSame() throws SQLException {
    int cases = Integer.getInteger("gatehouse.lexdiff.cases", 3000);
    Random random = new Random(Long.getLong("gatehouse.lexdiff.seed", 20261207L));
    List<String> disagreements = new ArrayList<>();
    int constants = 0;
    int refusedByGateway = 0;
    try (PreparedStatement ps = db.prepareStatement("SELECT lexprobe(?)")) {
      for (int i = 0; i < cases && disagreements.size() < 10; i++) {
        String text = constant(random);
        ps.setString(1, text);
        String server;
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          server = rs.getString(1);
        }
        List<Token> tokens;
        try {
          tokens = new ArrayList<>(Lexer.tokenize(text));
          // the server's EXECUTE takes a trailing semicolon as the end of the one statement
          while (!tokens.isEmpty() && tokens.getLast().isPunct(";")) {
            tokens.removeLast();
          }
        } catch (LexException e) {
          tokens = null;
        }
        boolean gatewayOne =
            tokens != null && tokens.size() == 1 && tokens.getFirst().type() == TokenType.STRING;
        if (server != null) {
          constants++;
          if (tokens == null) {
            refusedByGateway++; // the safe direction: a false refusal
          } else if (!gatewayOne) {
            disagreements.add(
                "the server reads one constant, the gateway "
                    + tokens.size()
                    + " tokens: "
                    + show(text));
          } else if (!server.equals(tokens.getFirst().value())) {
            disagreements.add(
                "values differ: "
                    + show(text)
                    + " server="
                    + show(server)
                    + " gateway="
                    + show(tokens.getFirst().value()));
          }
        } else if (gatewayOne) {
          disagreements.add("the gateway reads one constant, the server does not: " + show(text));
        }
      }
    }
    System.out.printf(
        "lexdiff: %d texts, %d read as one constant by the server, %d of them refused here%n",
        cases, constants, refusedByGateway);
    assertThat(disagreements).as("texts read differently").isEmpty();
    // the generator must reach the interesting part: constants the server reads
    assertThat(constants).isGreaterThan(cases / 10);
    assertThat(refusedByGateway).as("false refusals").isLessThan(Math.max(1, constants / 20));
  }

  private static String constant(Random random) {
    StringBuilder b = new StringBuilder();
    String open = OPEN.get(random.nextInt(OPEN.size()));
    b.append(open);
    body(random, b);
    b.append(close(open));
    if (random.nextInt(3) == 0) {
      b.append(BETWEEN.get(random.nextInt(BETWEEN.size()))).append('\'');
      body(random, b);
      b.append('\'');
    }
    if (random.nextInt(6) == 0) {
      b.append(BODY.get(random.nextInt(BODY.size())));
    }
    return b.toString();
  }

  private static void body(Random random, StringBuilder b) {
    int n = random.nextInt(5);
    for (int k = 0; k < n; k++) {
      b.append(BODY.get(random.nextInt(BODY.size())));
    }
  }

  private static String close(String open) {
    return open.startsWith("$") ? open : "'";
  }

  private static String show(String s) {
    StringBuilder b = new StringBuilder("«");
    s.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x20 || cp > 0x7e) {
                b.append(String.format("\\u%04x", cp));
              } else {
                b.appendCodePoint(cp);
              }
            });
    return b.append('»').toString();
  }
}
