package dev.gatehouse.mcp.exec;

import static org.assertj.core.api.Assertions.assertThat;

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
  void quotedTextCommentsAndDollarBodiesAreLeftAlone() {
    String sql =
        "SELECT '$1', E'\\'$1', \"$1\", $$ $1 $$, $tag$ $1 ? $tag$ -- $1 ?\n"
            + "/* $1 /* nested $1 */ ? */ , $1";
    Placeholders p = Placeholders.rewrite(sql);
    assertThat(p.order()).containsExactly(1);
    assertThat(p.sql()).endsWith(", ?").contains("'$1'").contains("$tag$ $1 ? $tag$");
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
  void unterminatedConstructsRunToTheEnd() {
    assertThat(Placeholders.rewrite("SELECT 'open $1").order()).isEmpty();
    assertThat(Placeholders.rewrite("SELECT $q$ open $1").order()).isEmpty();
    assertThat(Placeholders.rewrite("SELECT /* open $1").order()).isEmpty();
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
