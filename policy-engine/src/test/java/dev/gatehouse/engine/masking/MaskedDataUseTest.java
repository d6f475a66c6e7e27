package dev.gatehouse.engine.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.sql.PostgresSqlAnalyzer;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The inference, write and catalog decisions, under each setting. */
class MaskedDataUseTest {

  private static final PostgresSqlAnalyzer analyzer = new PostgresSqlAnalyzer();

  @AfterAll
  static void close() {
    analyzer.close();
  }

  private static MaskingPolicy policy(Inference inference, Inference ssnOwn, boolean denyCatalog) {
    List<MaskRule> rules =
        new java.util.ArrayList<>(
            List.of(
                new MaskRule("email", "app.customers.email", MaskStrategy.EMAIL, 0),
                new MaskRule("ssn", "app.customers.ssn", MaskStrategy.REDACT, 0, ssnOwn),
                new MaskRule("notes", "app.orders.secret_note", MaskStrategy.NULL, 0)));
    rules.addAll(CatalogChannels.RULES);
    return new MaskingPolicy(rules, Set.of(), false, inference, denyCatalog);
  }

  private static MaskedDataUse.Refusal check(String sql, MaskingPolicy p) {
    return MaskedDataUse.check(analyzer.analyze(sql, AnalysisContext.DEFAULT), p);
  }

  @Test
  void lookupAllowsEqualityInAndNullTestsOnly() {
    MaskingPolicy p = policy(Inference.LOOKUP, null, true);
    assertThat(check("SELECT id FROM app.customers WHERE email = $1 AND id > 3", p)).isNull();
    assertThat(check("SELECT id FROM app.customers WHERE ssn IN ('a', $2)", p)).isNull();
    assertThat(check("SELECT id FROM app.customers WHERE ssn IS NULL", p)).isNull();
    MaskedDataUse.Refusal r = check("SELECT id FROM app.customers WHERE ssn LIKE 'a%'", p);
    assertThat(r.ruleId()).isEqualTo(MaskedDataUse.INFERENCE);
    assertThat(r.explanation())
        .contains("`app.customers.ssn`", "rule `ssn`", "WHERE", "ssn LIKE", "`column = literal`");
  }

  @Test
  void denyAllowsNoUseAndAllowAllowsAll() {
    assertThat(
            check(
                "SELECT id FROM app.customers WHERE email = 'x'",
                policy(Inference.DENY, null, true)))
        .isNotNull();
    assertThat(
            check("SELECT id FROM app.customers ORDER BY ssn", policy(Inference.ALLOW, null, true)))
        .isNull();
  }

  @Test
  void aRuleMayOverrideThePolicy() {
    MaskingPolicy p = policy(Inference.LOOKUP, Inference.ALLOW, true);
    assertThat(check("SELECT id FROM app.customers ORDER BY ssn", p)).isNull();
    assertThat(check("SELECT id FROM app.customers ORDER BY email", p)).isNotNull();
    MaskingPolicy strict = policy(Inference.ALLOW, Inference.DENY, true);
    assertThat(check("SELECT id FROM app.customers WHERE ssn = 'x'", strict).explanation())
        .contains("only in the select list");
  }

  @Test
  void writesNeedAnEqualOrStrongerRule() {
    MaskingPolicy p = policy(Inference.LOOKUP, null, true);
    MaskedDataUse.Refusal r =
        check("UPDATE app.orders o SET note = c.ssn FROM app.customers c WHERE o.id = 1", p);
    assertThat(r.ruleId()).isEqualTo(MaskedDataUse.WRITE);
    assertThat(r.explanation()).contains("`app.orders.note`", "`app.customers.ssn`");
    // NULL is stronger than REDACT: allowed
    assertThat(
            check(
                "UPDATE app.orders o SET secret_note = c.ssn FROM app.customers c WHERE o.id = 1",
                p))
        .isNull();
    // EMAIL (partial) into REDACT is fine, REDACT into EMAIL is not
    assertThat(check("UPDATE app.customers SET ssn = email WHERE id = 1", p)).isNull();
    assertThat(check("UPDATE app.customers SET email = ssn WHERE id = 1", p)).isNotNull();
  }

  @Test
  void aPartialMaskAcceptsOnlyACopy() {
    MaskingPolicy p = policy(Inference.LOOKUP, null, true);
    // a copy shows what the source's own mask shows
    assertThat(check("UPDATE app.customers SET email = email WHERE id = 1", p)).isNull();
    assertThat(
            check(
                "INSERT INTO app.customers (id, email) SELECT id + 1, c.email FROM app.customers c",
                p))
        .isNull();
    // a derived value would show another part each time
    for (String sql :
        List.of(
            "UPDATE app.customers SET email = reverse(email) WHERE id = 1",
            "UPDATE app.customers SET email = substr(email, 2) || left(email, 1) WHERE id = 1",
            "INSERT INTO app.customers (id, email) SELECT id + 1, lower(email) FROM app.customers")) {
      MaskedDataUse.Refusal r = check(sql, p);
      assertThat(r).as(sql).isNotNull();
      assertThat(r.explanation()).contains("masks only in part");
    }
  }

  @Test
  void writingATableWithMaskedColumnsTouchesMaskedData() {
    MaskingPolicy p = policy(Inference.LOOKUP, null, true);
    var update =
        analyzer
            .analyze(
                "UPDATE app.customers SET full_name = NULL WHERE id = 1", AnalysisContext.DEFAULT)
            .statements()
            .getFirst();
    // a constraint error would show the whole row, SSN and e-mail included
    assertThat(MaskedDataUse.touchesMasked(update, p)).isTrue();
    var read =
        analyzer
            .analyze("SELECT full_name FROM app.customers WHERE id = 1", AnalysisContext.DEFAULT)
            .statements()
            .getFirst();
    assertThat(MaskedDataUse.touchesMasked(read, p)).isFalse();
  }

  @Test
  void catalogChannelsDenyOrMask() {
    MaskingPolicy deny = policy(Inference.LOOKUP, null, true);
    MaskingPolicy mask = policy(Inference.LOOKUP, null, false);
    String sql = "SELECT attname, histogram_bounds FROM pg_stats";
    assertThat(check(sql, deny).ruleId()).isEqualTo(MaskedDataUse.CATALOG);
    assertThat(check(sql, mask)).isNull();
    assertThat(check("SELECT attname, null_frac FROM pg_stats", deny)).isNull();
    // a column's order against the heap's, which a refused ORDER BY would have told
    assertThat(check("SELECT attname, correlation FROM pg_stats", deny).ruleId())
        .isEqualTo(MaskedDataUse.CATALOG);
    // functions are refused either way, and unknown pg_stat* functions with them
    assertThat(check("SELECT * FROM pg_stat_get_activity(NULL)", mask).ruleId())
        .isEqualTo(MaskedDataUse.CATALOG);
    assertThat(CatalogChannels.exposes("pg_stat_get_something_new")).isTrue();
    assertThat(CatalogChannels.exposes("pg_stat_get_numscans")).isFalse();
  }

  @Test
  void clearedPrincipalIsNotChecked() {
    assertThat(check("SELECT id FROM app.customers ORDER BY ssn", MaskingPolicy.NONE)).isNull();
  }
}
