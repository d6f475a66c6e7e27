package dev.gatehouse.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.Splitter;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Hostile text never breaks the analyser, and quoting always hides a semicolon. */
class AnalyzerRobustnessPropertyTest {

  @Provide
  Arbitrary<String> sqlish() {
    Arbitrary<String> pieces =
        Arbitraries.of(
            "SELECT ",
            "DELETE ",
            "FROM ",
            "app.t ",
            "WHERE ",
            "1",
            "=",
            "'",
            "''",
            "\"",
            "$$",
            "$a$",
            "E'",
            "\\",
            "U&'",
            "UESCAPE",
            "/*",
            "*/",
            "--",
            "\n",
            ";",
            "(",
            ")",
            ",",
            "::",
            "pg_sleep(1)",
            "OPERATOR(pg_catalog.~)",
            "TABLE ",
            "WITH x AS (",
            "COPY ",
            "SET ",
            "BEGIN",
            "x",
            " ");
    return pieces.list().ofMaxSize(30).map(l -> String.join("", l));
  }

  @Property(tries = 500)
  void analysisNeverThrowsAndNeverPassesSilently(@ForAll("sqlish") String sql) {
    Analysis a = AnalyzerFixture.ANALYZER.analyze(sql, AnalysisContext.DEFAULT);
    for (StatementInfo s : a.statements()) {
      // A statement either has a known class or says why not.
      assertTrue(
          s.statementClass() != StatementClass.UNKNOWN || !s.riskFlags().isEmpty(),
          () -> sql + " -> " + s);
    }
  }

  @Property(tries = 300)
  void semicolonsInsideQuotesNeverSplit(@ForAll("quoted") String literal) throws LexException {
    String sql = "SELECT " + literal + " AS s";
    assertEquals(1, Splitter.split(sql).size(), sql);
  }

  @Provide
  Arbitrary<String> quoted() {
    Arbitrary<String> body = Arbitraries.strings().withChars(";'\"$-/*\\ ab\n").ofMaxLength(20);
    return Arbitraries.oneOf(
        body.map(b -> "'" + b.replace("'", "''") + "'"),
        body.map(b -> "\"" + b.replace("\"", "\"\"") + "x\""),
        body.filter(b -> !b.contains("$q$")).map(b -> "$q$" + b + "$q$"),
        body.map(b -> "E'" + b.replace("\\", "\\\\").replace("'", "\\'") + "'"),
        body.map(b -> "/* " + withoutCommentMarks(b) + " */ 1"));
  }

  /** Removes comment openers and closers until none is left (removing one can join another). */
  private static String withoutCommentMarks(String body) {
    String previous;
    String current = body;
    do {
      previous = current;
      current = current.replace("*/", "").replace("/*", "");
    } while (!current.equals(previous));
    return current;
  }
}
