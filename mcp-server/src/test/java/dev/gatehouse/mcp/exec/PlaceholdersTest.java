package dev.gatehouse.mcp.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {

  @Test
  void numberedParametersBecomeJdbcMarkersInOrderOfUse() {
    Placeholders p = Placeholders.rewrite("SELECT * FROM t WHERE a = $2 AND b = $1 OR c = $2");
    assertThat(p.sql()).isEqualTo("SELECT * FROM t WHERE a = ? AND b = ? OR c = ?");
    assertThat(p.order()).containsExactly(2, 1, 2);
    assertThat(p.highest()).isEqualTo(2);
  }

  @Test
  void quotedTextCommentsAndDollarBodiesHoldNoParameters() {
    String sql =
        "SELECT '$1', E'\\'$1', \"$1\", $$ $1 $$, $tag$ $1 ? $tag$ -- $1 ?\n"
            + "/* $1 /* nested $1 */ ? */ , $1";
    Placeholders p = Placeholders.rewrite(sql);
    assertThat(p.order()).containsExactly(1);
    assertThat(p.sql().replaceAll("\\s+", " "))
        .isEqualTo("SELECT '$1', '''$1' , \"$1\", ' $1 ' , ' $1 ? ' , ?");
    assertThat(p.sql().lines().count()).isEqualTo(sql.lines().count());
  }

  @Test
  void literalQuestionMarksAreEscapedForPgjdbc() {
    Placeholders p = Placeholders.rewrite("SELECT '{}'::jsonb ? 'a', $1");
    assertThat(p.sql()).isEqualTo("SELECT '{}'::jsonb ?? 'a', ?");
  }

  @Test
  void dollarsInsideIdentifiersAreNotParameters() {
    Placeholders p = Placeholders.rewrite("SELECT a$1 FROM t");
    assertThat(p.order()).isEmpty();
    assertThat(p.sql()).isEqualTo("SELECT a$1 FROM t");
  }

  @Test
  void aTextTheLexerCannotReadIsRefused() {
    for (String sql : List.of("SELECT 'open $1", "SELECT $q$ open $1", "SELECT /* open $1")) {
      assertThatThrownBy(() -> Placeholders.rewrite(sql))
          .as(sql)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Placeholders.plain(sql))
          .as(sql)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(Placeholders.rewrite("").order()).isEqualTo(List.of());
  }

  /**
   * Red-team round 60: {@code ELSE'\'} is the key word ELSE and a plain string, not an escape
   * string; the {@code $1} after it is a parameter, as PostgreSQL and the analysis read it.
   */
  @Test
  void aKeyWordEndingInEStartsNoEscapeString() {
    Placeholders p =
        Placeholders.rewrite(
            "SELECT $2::text AS a, CASE WHEN false THEN 'x' ELSE'\\' END AS n, $1::text AS b");
    assertThat(p.order()).containsExactly(2, 1);
    assertThat(p.sql()).endsWith("ELSE'\\' END AS n, ?::text AS b");
    // a real escape string still hides what it quotes
    assertThat(Placeholders.rewrite("SELECT E'\\' $1', $2").order()).containsExactly(2);
    assertThat(Placeholders.rewrite("SELECT (e'\\'' || $1)").order()).containsExactly(1);
    assertThat(Placeholders.rewrite("SELECT 1 WHERE x = some'\\' OR y = $1").order())
        .containsExactly(1);
  }

  /**
   * Red-team round 61: pgjdbc parses the text it is given again and ends a comment at the second
   * character of a nested opening, where the analysis and PostgreSQL nest; a JDBC escape the
   * analysis read as comment text became SQL. Comments never reach pgjdbc, nor braces outside
   * strings, and strings reach it in the one form everyone reads alike.
   */
  @Test
  void pgjdbcGetsNoCommentsAndStringsInOneForm() {
    Placeholders p =
        Placeholders.rewrite(
            "SELECT /*/{fn insert('a',1,1,'b')} /* x */ */ $1::text, E'it\\'s', $q$a'b$q$,"
                + " U&'\\0041', B'101', X'1F', \"we\"\"ird\" -- tail ?\n FROM t");
    assertThat(p.sql())
        .doesNotContain("/*")
        .doesNotContain("{fn")
        .doesNotContain("--")
        .contains("?::text")
        .contains("'it''s'")
        .contains("'a''b'")
        .contains("'A'")
        .contains("B'101'")
        .contains("X'1F'")
        .contains("\"we\"\"ird\"");
    assertThat(p.order()).containsExactly(1);
    // an escape string continued on the next line is one string, written once
    Placeholders continued = Placeholders.rewrite("SELECT E'a'\n'\\'' AS x, $1");
    assertThat(continued.sql().replaceAll("\\s+", " ")).isEqualTo("SELECT 'a''' AS x, ?");
    assertThat(continued.order()).containsExactly(1);
    assertThat(Placeholders.plain("SELECT U&'!0041' UESCAPE '!' AS a").replaceAll("\\s+", " "))
        .isEqualTo("SELECT 'A' AS a");
    assertThat(Placeholders.plain("SELECT N'a '' ' AS n").replaceAll("\\s+", " "))
        .isEqualTo("SELECT N'a '' ' AS n");
    // without parameters: $n and ? stay as they are
    assertThat(Placeholders.plain("SELECT '{}'::jsonb ? 'a' /* c */, $1"))
        .isEqualTo("SELECT '{}'::jsonb ? 'a'        , $1");
    // an error's position still points into the caller's text
    String laidOut = "SELECT 1,\n  /* a comment */ E'x\\'y' AS z\nFROM t WHERE";
    assertThat(Placeholders.plain(laidOut).indexOf("FROM")).isEqualTo(laidOut.indexOf("FROM"));
  }

  /** The parameters found are the analysis's: the same lexer reads both. */
  @Test
  void theParametersAreTheOnesTheLexerReads() throws Exception {
    for (String sql :
        List.of(
            "SELECT $1, '$2', E'\\'$3', $4",
            "SELECT \"$1\", U&'$2', $$ $3 $$, $x$ $4 $x$, $5",
            "SELECT a$1, b $2, cE'$3', $4 -- $5\n, /* $6 */ $7")) {
      List<Integer> lexed =
          dev.gatehouse.engine.sql.lex.Lexer.tokenize(sql).stream()
              .filter(t -> t.type() == dev.gatehouse.engine.sql.lex.TokenType.PARAM)
              .map(t -> Integer.parseInt(sql.substring(t.start() + 1, t.end())))
              .toList();
      assertThat(Placeholders.rewrite(sql).order()).as(sql).isEqualTo(lexed).isNotEmpty();
    }
  }
}
