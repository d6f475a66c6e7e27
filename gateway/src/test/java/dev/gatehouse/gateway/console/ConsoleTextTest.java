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

  /** Red-team round 38: a statement PostgreSQL runs was drawn as a comment or a string. */
  @Test
  void whatIsDrawnAsCommentOrStringIsWhatPostgresqlReadsAsOne() {
    String nested =
        "/* /* */ DROP TABLE IF EXISTS app.visible; -- */\nSELECT $$ /* $$;\n"
            + "DROP TABLE IF EXISTS app.hidden;\nSELECT $$ */ $$";
    String html = SqlHighlighter.html(nested);
    assertThat(live(html)).contains("DROP TABLE IF EXISTS app.hidden").doesNotContain("visible");
    assertThat(html).contains("<span class=\"sql-s\">$$ /* $$</span>");

    String tagged = "SELECT $x$ $$ -- $x$; UPDATE app.payments SET status = status";
    assertThat(live(SqlHighlighter.html(tagged))).contains("UPDATE app.payments");

    String escaped = "SELECT E'\\'';\nUPDATE app.payments SET status = status;\nSELECT ''''";
    assertThat(live(SqlHighlighter.html(escaped))).contains("UPDATE app.payments");

    String carriageReturn = "SELECT 1; -- nightly check\rUPDATE app.payments SET status = status";
    assertThat(live(SqlHighlighter.html(carriageReturn))).contains("UPDATE app.payments");
  }

  @Test
  void eachStatementOfAMessageStartsALine() {
    String html = SqlHighlighter.html("SELECT 1;   UPDATE t SET a = 1; -- done");
    assertThat(html).contains("1</span>;\n<span class=\"sql-k\">UPDATE");
  }

  @Test
  void textTheLexerRefusesIsDrawnPlainAndWhole() {
    String sql = "SELECT 'unterminated; DROP TABLE app.t";
    assertThat(SqlHighlighter.html(sql))
        .isEqualTo("SELECT &#39;unterminated; DROP TABLE app.t")
        .doesNotContain("<span");
  }

  /** The text outside comment and string spans, tags gone and the rest unescaped. */
  private static String live(String html) {
    return html.replaceAll("<span class=\"sql-[cs]\">[^<]*</span>", " ")
        .replaceAll("<[^>]+>", "")
        .replace("&#39;", "'")
        .replaceAll("\\s+", " ");
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
