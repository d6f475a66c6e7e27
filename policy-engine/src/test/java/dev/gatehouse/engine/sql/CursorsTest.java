package dev.gatehouse.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CursorsTest {

  @Test
  void declarationsGiveNameHoldAndQuery() {
    assertThat(Cursors.declared("DECLARE C NO SCROLL CURSOR FOR SELECT 1;"))
        .isEqualTo(new Cursors.Declared("c", false, "SELECT 1"));
    assertThat(
            Cursors.declared(
                "declare \"Big\" binary insensitive scroll cursor with hold for select * from t"))
        .isEqualTo(new Cursors.Declared("Big", true, "select * from t"));
    assertThat(Cursors.declared("DECLARE c CURSOR WITHOUT HOLD FOR VALUES (1)").hold()).isFalse();
    assertThat(Cursors.declared("DECLARE c CURSOR")).isNull();
    assertThat(Cursors.declared("SELECT 1")).isNull();
  }

  @Test
  void fetchMoveAndCloseNameTheirCursor() {
    assertThat(Cursors.fetched("FETCH FORWARD 100 FROM _psql_cursor")).isEqualTo("_psql_cursor");
    assertThat(Cursors.fetched("fetch \"Big\"")).isEqualTo("Big");
    assertThat(Cursors.fetched("MOVE ABSOLUTE -1 IN c;")).isEqualTo("c");
    assertThat(Cursors.fetched("FETCH 10")).isNull();
    assertThat(Cursors.closed("CLOSE c")).isEqualTo("c");
    assertThat(Cursors.closed("close all")).isEqualTo(Cursors.ALL);
    assertThat(Cursors.closed("CLOSE \"ALL\"")).isEqualTo("ALL");
  }
}
