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
}
