package dev.gatehouse.slack.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlackTextTest {

  @Test
  void escapesSlackControlCharacters() {
    assertThat(SlackText.escape("a < b && c > d")).isEqualTo("a &lt; b &amp;&amp; c &gt; d");
    assertThat(SlackText.escape("<!channel> <@U123> <https://evil|click>"))
        .doesNotContain("<", ">")
        .contains("&lt;!channel&gt;");
  }

  @Test
  void tripleBackticksCannotCloseTheCodeBlock() {
    String sql = "SELECT 1; ```\n*bold* <!here> ``` `x`";

    String block = SlackText.codeBlock(sql, 500);

    assertThat(block).startsWith("```\n").endsWith("\n```");
    String inner = block.substring(4, block.length() - 4);
    assertThat(inner).doesNotContain("`").doesNotContain("<").contains("&lt;!here&gt;");
    assertThat(inner).contains("ˋˋˋ");
  }

  @Test
  void aTrailingBacktickCannotMergeWithTheFence() {
    assertThat(SlackText.codeBlock("SELECT `", 100)).isEqualTo("```\nSELECT ˋ\n```");
  }

  @Test
  void bidiOverridesAndZeroWidthCharactersAreShownNotHidden() {
    // Trojan Source: a right-to-left override makes the approver read something else.
    String sql = "DELETE FROM t WHERE owner = 'bob\u202E -- ' AND 1=1\u200B";

    String block = SlackText.codeBlock(sql, 500);

    assertThat(block).doesNotContain("\u202E", "\u200B").contains("[U+202E]", "[U+200B]");
    assertThat(SlackText.inline("a\u0000b\u0007", 50)).isEqualTo("`a[U+0000]b[U+0007]`");
  }

  @Test
  void truncationNeverSplitsAnEscapeOrASurrogatePair() {
    String sql = "&".repeat(100) + "😀".repeat(100);

    String block = SlackText.codeBlock(sql, 52);
    String inner = block.substring(4, block.indexOf("\n…"));

    assertThat(inner).isEqualTo("&amp;".repeat(10));
    assertThat(block).contains("190 more characters not shown").endsWith("\n```");
    String emoji = SlackText.codeBlock("😀".repeat(10), 5);
    assertThat(emoji).startsWith("```\n😀😀\n…");
    assertThat(emoji.codePoints().filter(cp -> cp >= 0xD800 && cp <= 0xDFFF)).isEmpty();
  }

  @Test
  void aLongStatementStaysWithinSlacksBlockLimit() {
    String sql = "SELECT '<&>' || x FROM t\n".repeat(1000);

    String block = SlackText.codeBlock(sql, 2500);

    assertThat(block.length()).isLessThan(2600);
    assertThat(block).endsWith("more characters not shown)\n```");
  }

  @Test
  void layoutIsNormalisedWithoutChangingTokens() {
    assertThat(SlackText.codeBlock("\tSELECT 1   \r\n\tFROM t\t\n", 100))
        .isEqualTo("```\nSELECT 1\n  FROM t\n```");
  }

  @Test
  void inlineValuesAreOneLineAndBounded() {
    assertThat(SlackText.inline("a\nb`c", 50)).isEqualTo("`a bˋc`");
    assertThat(SlackText.inline("x".repeat(100), 10)).isEqualTo("`" + "x".repeat(10) + "…`");
    assertThat(SlackText.inline(null, 10)).isEqualTo("_none_");
    assertThat(SlackText.plain("y".repeat(200), 150)).hasSize(150).endsWith("…");
  }
}
