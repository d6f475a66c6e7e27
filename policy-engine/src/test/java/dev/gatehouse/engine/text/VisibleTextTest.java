package dev.gatehouse.engine.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VisibleTextTest {

  @Test
  void plainTextIsReturnedAsItIs() {
    String sql = "SELECT 'é', \"ß\" FROM t\tWHERE a = 1;\nSELECT 2";
    assertThat(VisibleText.of(sql, "\n")).isSameAs(sql);
  }

  @Test
  void controlsAndBidiOverridesAreShownNotActedOn() {
    assertThat(VisibleText.line("a\u001b[2Kb\rc\u202Ed\u200Be\u0085f\u2028g"))
        .isEqualTo("a[U+001B][2Kb[U+000D]c[U+202E]d[U+200B]e[U+0085]f[U+2028]g");
  }

  @Test
  void lineBreaksTakeWhatTheCallerGives() {
    assertThat(VisibleText.of("a\r\nb\nc", "\n  ")).isEqualTo("a\n  b\n  c");
    assertThat(VisibleText.line("a\nb")).isEqualTo("a[U+000A]b");
  }
}
