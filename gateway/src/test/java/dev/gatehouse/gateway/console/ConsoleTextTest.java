package dev.gatehouse.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the console writes into pages and exports: escaped, complete, never executable. */
class ConsoleTextTest {

  @Test
  void sqlIsHighlightedEscapedAndKeepsEveryCharacter() {
    String sql = "SELECT '<b>''x' AS \"a&b\", $1 FROM app.t WHERE id = 42 -- <script>";
    String html = SqlHighlighter.html(sql);
    assertThat(html)
        .contains("<span class=\"sql-k\">SELECT</span>")
        .contains("<span class=\"sql-s\">&#39;&lt;b&gt;&#39;&#39;x&#39;</span>")
        .contains("<span class=\"sql-i\">&quot;a&amp;b&quot;</span>")
        .contains("<span class=\"sql-p\">$1</span>")
        .contains("<span class=\"sql-n\">42</span>")
        .contains("\n<span class=\"sql-k\">FROM</span>")
        .contains("<span class=\"sql-c\">-- &lt;script&gt;</span>")
        .doesNotContain("<script>")
        .doesNotContain("<b>");
    String text =
        html.replaceAll("<[^>]+>", "")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
    assertThat(text.replaceAll("\\s+", "")).isEqualTo(sql.replaceAll("\\s+", ""));
  }

  @Test
  void csvCellsAreQuotedAndFormulasDefused() {
    assertThat(AuditExport.cell("plain")).isEqualTo("plain");
    assertThat(AuditExport.cell("a,b")).isEqualTo("\"a,b\"");
    assertThat(AuditExport.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(AuditExport.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
    assertThat(AuditExport.cell("-1")).isEqualTo("'-1");
  }

  @Test
  void htmlEscapesEveryMarkupCharacter() {
    assertThat(Html.esc("<a href='x'>&\"</a>"))
        .isEqualTo("&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
    assertThat(Html.list(List.of("<x>"))).isEqualTo("<code>&lt;x&gt;</code>");
  }

  @Test
  void chartsDrawEveryIdentityWithoutInlineStyle() {
    String svg =
        Charts.lines(
            "c",
            "Statements",
            List.of("d1", "d2"),
            new java.util.TreeMap<>(
                java.util.Map.of("analyst", new long[] {1, 3}, "<dba>", new long[] {0, 2})));
    assertThat(svg).contains("<polyline", "analyst", "&lt;dba&gt;", "role=\"img\"");
    assertThat(svg).doesNotContain("style=").doesNotContain("<dba>");
  }

  @Test
  void pkceChallengeIsTheS256OfTheVerifier() {
    // RFC 7636, appendix B
    assertThat(OidcClient.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }
}
