package dev.gatehouse.engine.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.sql.Analysis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Planning from lineage, the wire's column origins and the catalog. */
class CatalogMaskPlannerTest {

  private final FakeCatalog catalog = new FakeCatalog();
  private final CatalogMaskPlanner planner =
      new CatalogMaskPlanner(catalog, "0123456789abcdef".getBytes(StandardCharsets.UTF_8));

  static ResultColumn text(String name) {
    return new ResultColumn(name, 0, 0, 25, -1, -1, ResultColumn.TEXT);
  }

  static ResultColumn origin(String name, int table, int attnum, int type) {
    return new ResultColumn(name, table, attnum, type, -1, -1, ResultColumn.TEXT);
  }

  MaskPlan plan(MaskingPolicy policy, String sql, ResultColumn... columns) {
    Analysis analysis = sql == null ? null : ReferenceMasking.analyze(sql);
    return planner.plan(policy, analysis, List.of(columns), "shop");
  }

  static String apply(MaskPlan plan, int column, String value) {
    byte[] out = plan.apply(column, value.getBytes(StandardCharsets.UTF_8));
    return out == null ? null : new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void noRulesAndNoDetectorsPassEverything() {
    MaskPlan plan = plan(MaskingPolicy.NONE, "SELECT ssn FROM app.customers", text("ssn"));
    assertThat(plan.passesThrough()).isTrue();
    assertThat(plan.inspects(0)).isFalse();
  }

  @Test
  void rulesThatMatchNothingAndNoDetectorsPass() {
    MaskPlan plan =
        plan(
            new MaskingPolicy(ReferenceMasking.UNCLEARED.rules(), Set.of(), false),
            "SELECT id, full_name FROM app.customers",
            origin("id", FakeCatalog.CUSTOMERS, 1, 20),
            origin("full_name", FakeCatalog.CUSTOMERS, 2, 25));
    assertThat(plan.passesThrough()).isTrue();
    assertThat(plan.applied()).isEmpty();
  }

  @Test
  void detectorsAloneMeanInspection() {
    MaskPlan plan = plan(ReferenceMasking.UNCLEARED, "SELECT 'x' AS s", text("s"));
    assertThat(plan.passesThrough()).isFalse();
    assertThat(plan.inspects(0)).isTrue();
    byte[] clean = "nothing to see".getBytes(StandardCharsets.UTF_8);
    assertThat(plan.apply(0, clean)).isSameAs(clean);
    assertThat(plan.applied()).isEmpty();
  }

  @Test
  void directColumnsKeepTheirPartialStrategy() {
    MaskPlan plan =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT email, card_number FROM app.customers",
            origin("email", FakeCatalog.CUSTOMERS, 3, 25),
            origin("card_number", FakeCatalog.CUSTOMERS, 5, 25));
    assertThat(apply(plan, 0, "alice@example.com")).isEqualTo("a****@example.com");
    assertThat(apply(plan, 1, "4111111111111111")).isEqualTo("************1111");
    assertThat(plan.applied())
        .containsExactly(
            new AppliedMask("email", "app.customers.email", "customers-email", MaskStrategy.EMAIL),
            new AppliedMask(
                "card_number", "app.customers.card_number", "card-number", MaskStrategy.KEEP_LAST));
  }

  @Test
  void derivedValuesAreRedactedWhole() {
    MaskPlan plan =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT reverse(card_number) FROM app.payments",
            text("reverse"));
    assertThat(apply(plan, 0, "1111111111111114")).isEqualTo("****");
    assertThat(plan.applied().getFirst().strategy()).isEqualTo(MaskStrategy.REDACT);
    assertThat(plan.applied().getFirst().sourceColumn()).isEqualTo("app.payments.card_number");
  }

  @Test
  void globsSelectColumnsAcrossTables() {
    MaskingPolicy policy =
        new MaskingPolicy(
            List.of(
                new MaskRule("any-email", "app.*.email", MaskStrategy.REDACT, 0),
                new MaskRule("cards", "*.card_number", MaskStrategy.NULL, 0)),
            Set.of(),
            false);
    MaskPlan plan =
        plan(
            policy,
            "SELECT p.card_number, c.email, c.full_name FROM app.payments p JOIN app.customers c ON true",
            text("card_number"),
            text("email"),
            text("full_name"));
    assertThat(apply(plan, 0, "4111111111111111")).isNull();
    assertThat(apply(plan, 1, "alice@example.com")).isEqualTo("****");
    assertThat(plan.inspects(2)).isFalse();
  }

  @Test
  void aWholeRowIsMaskedWhenAnyOfItsColumnsIs() {
    MaskPlan plan =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT row_to_json(c) FROM app.customers c",
            new ResultColumn("row_to_json", 0, 0, 114, -1, -1, ResultColumn.TEXT));
    assertThat(apply(plan, 0, "{\"ssn\":\"219-09-9999\"}")).isEqualTo("\"****\"");
    MaskPlan orders =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT row_to_json(o) FROM app.orders o",
            new ResultColumn("row_to_json", 0, 0, 114, -1, -1, ResultColumn.TEXT));
    assertThat(orders.applied()).isEmpty();
  }

  @Test
  void viewColumnsExposingMaskedColumnsAreMasked() {
    MaskPlan email =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT email FROM app.customer_contacts",
            origin("email", FakeCatalog.CONTACTS, 3, 25));
    assertThat(apply(email, 0, "alice@example.com")).isEqualTo("a****@example.com");
    assertThat(email.applied().getFirst().sourceColumn()).isEqualTo("app.customers.email");
    MaskPlan derived =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT upper(email) FROM app.customer_contacts",
            text("upper"));
    assertThat(apply(derived, 0, "ALICE@EXAMPLE.COM")).isEqualTo("****");
    MaskPlan name =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT full_name FROM app.customer_contacts",
            origin("full_name", FakeCatalog.CONTACTS, 2, 25));
    assertThat(name.applied()).isEmpty();
  }

  @Test
  void rulesMayNameViewColumns() {
    MaskingPolicy policy =
        new MaskingPolicy(
            List.of(
                new MaskRule(
                    "contacts", "app.customer_contacts.full_name", MaskStrategy.REDACT, 0)),
            Set.of(),
            false);
    MaskPlan viaView =
        plan(
            policy,
            "SELECT full_name FROM app.customer_contacts",
            origin("full_name", FakeCatalog.CONTACTS, 2, 25));
    assertThat(apply(viaView, 0, "Alice")).isEqualTo("****");
    MaskPlan viaTable =
        plan(
            policy,
            "SELECT full_name FROM app.customers",
            origin("full_name", FakeCatalog.CUSTOMERS, 2, 25));
    assertThat(viaTable.passesThrough()).isTrue();
  }

  @Test
  void theWireOriginCoversMissingLineage() {
    MaskPlan plan =
        plan(ReferenceMasking.UNCLEARED, null, origin("x", FakeCatalog.CUSTOMERS, 4, 25));
    assertThat(apply(plan, 0, "219-09-9999")).isEqualTo("****");
    MaskPlan star =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT * FROM app.customers",
            origin("id", FakeCatalog.CUSTOMERS, 1, 20),
            origin("ssn", FakeCatalog.CUSTOMERS, 4, 25));
    assertThat(star.inspects(0)).isTrue();
    assertThat(apply(star, 0, "1")).isEqualTo("1");
    assertThat(apply(star, 1, "219-09-9999")).isEqualTo("****");
  }

  @Test
  void withoutWireOriginsAStarIsNarrowedByTheResultsColumnNames() {
    MaskPlan plan =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT * FROM app.customers",
            new ResultColumn("id", 0, 0, 20, 8, -1, 0),
            new ResultColumn("full_name", 0, 0, 25, -1, -1, 0),
            new ResultColumn("email", 0, 0, 25, -1, -1, 0),
            new ResultColumn("ssn", 0, 0, 25, -1, -1, 0));
    assertThat(apply(plan, 0, "1")).isEqualTo("1");
    assertThat(apply(plan, 1, "Alice")).isEqualTo("Alice");
    assertThat(apply(plan, 2, "alice@example.com")).isEqualTo("****");
    assertThat(apply(plan, 3, "219-09-9999")).isEqualTo("****");
    // an expression between two stars may carry any name: no narrowing then
    MaskPlan mixed =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT o.*, upper(c.ssn) AS id, c.* FROM app.payments o, app.customers c",
            new ResultColumn("id", 0, 0, 25, -1, -1, 0),
            new ResultColumn("id", 0, 0, 25, -1, -1, 0),
            new ResultColumn("id", 0, 0, 25, -1, -1, 0));
    assertThat(apply(mixed, 1, "219-09-9999")).isEqualTo("****");
  }

  @Test
  void columnsRenamedByATableAliasAreFoundByPosition() {
    MaskPlan plan =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT upper(e), n FROM app.customers AS c(i, n, e)",
            text("upper"),
            text("n"));
    assertThat(apply(plan, 0, "ALICE@EXAMPLE.COM")).isEqualTo("****");
    assertThat(plan.applied())
        .extracting(AppliedMask::sourceColumn)
        .containsExactly("app.customers.email");
  }

  @Test
  void anUnknownAttributeRefreshesTheCatalogOnce() {
    plan(ReferenceMasking.UNCLEARED, null, origin("x", FakeCatalog.CUSTOMERS, 99, 25));
    assertThat(catalog.invalidations).isEqualTo(1);
  }

  @Test
  void unknownLineageRunsDetectorsOrIsRedactedWhenPolicyDeniesOpaqueLineage() {
    MaskPlan detect = plan(ReferenceMasking.UNCLEARED, "SELECT app.customer_email(1)", text("e"));
    assertThat(apply(detect, 0, "alice@example.com")).isEqualTo("****");
    assertThat(detect.applied())
        .containsExactly(new AppliedMask("e", null, "detector:EMAIL", MaskStrategy.REDACT));
    apply(detect, 0, "bob@example.org");
    assertThat(detect.applied()).hasSize(1);

    MaskingPolicy strict =
        new MaskingPolicy(
            ReferenceMasking.UNCLEARED.rules(), ReferenceMasking.UNCLEARED.detectors(), true);
    MaskPlan denied = plan(strict, "SELECT app.customer_email(1)", text("e"));
    assertThat(apply(denied, 0, "anything")).isEqualTo("****");
    assertThat(denied.applied().getFirst().ruleId()).isEqualTo(CatalogMaskPlanner.OPAQUE_LINEAGE);
    MaskPlan noLineage = plan(strict, null, text("e"));
    assertThat(apply(noLineage, 0, "anything")).isEqualTo("****");
    MaskPlan literal = plan(strict, "SELECT 'a' AS e", text("e"));
    assertThat(apply(literal, 0, "a")).isEqualTo("a");
  }

  @Test
  void opaqueValuesComputedOnAreRedacted() {
    MaskPlan plan =
        plan(ReferenceMasking.UNCLEARED, "SELECT md5(app.customer_email(1))", text("md5"));
    assertThat(apply(plan, 0, "c160f8cc69a4f0bf2b0362752353d060")).isEqualTo("****");
    assertThat(plan.applied())
        .containsExactly(
            new AppliedMask(
                "md5", null, CatalogMaskPlanner.OPAQUE_TRANSFORMED, MaskStrategy.REDACT));
    MaskPlan cleared = plan(MaskingPolicy.NONE, "SELECT md5(app.customer_email(1))", text("md5"));
    assertThat(cleared.passesThrough()).isTrue();
  }

  @Test
  void detectorHitsInStructuredValuesReplaceTheWholeValue() {
    MaskPlan plan =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT app.f()",
            new ResultColumn("f", 0, 0, 114, -1, -1, ResultColumn.TEXT));
    assertThat(apply(plan, 0, "[4111111111111111]")).isEqualTo("\"****\"");
    MaskPlan number =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT app.f()",
            new ResultColumn("f", 0, 0, 1700, -1, -1, ResultColumn.TEXT));
    assertThat(apply(number, 0, "4111111111111111")).isNull();
    assertThat(apply(number, 0, "12.50")).isEqualTo("12.50");
    MaskPlan bytes =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT app.f()",
            new ResultColumn("f", 0, 0, 17, -1, -1, ResultColumn.TEXT));
    String hex =
        "\\x"
            + java.util.HexFormat.of()
                .formatHex("alice@example.com".getBytes(StandardCharsets.UTF_8));
    assertThat(apply(bytes, 0, hex)).isEqualTo("\\x2a2a2a2a");
  }

  @Test
  void detectorsWorkOnBinaryTextAndJsonb() {
    MaskPlan plan =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT app.f(), app.g()",
            new ResultColumn("f", 0, 0, 25, -1, -1, ResultColumn.BINARY),
            new ResultColumn("g", 0, 0, 3802, -1, -1, ResultColumn.BINARY));
    assertThat(apply(plan, 0, "mail zoë at zoe@example.com")).isEqualTo("mail zoë at ****");
    byte[] jsonb = "\u0001{\"e\": \"zoe@example.com\"}".getBytes(StandardCharsets.UTF_8);
    byte[] masked = plan.apply(1, jsonb);
    assertThat(masked[0]).isEqualTo((byte) 1);
    assertThat(new String(masked, 1, masked.length - 1, StandardCharsets.UTF_8))
        .isEqualTo("\"****\"");
    assertThat(plan.applied()).extracting(AppliedMask::outputColumn).containsExactly("f", "g");
  }

  @Test
  void binaryNumbersAreCheckedForCardNumbers() {
    MaskPlan plan =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT app.f(), app.g()",
            new ResultColumn("f", 0, 0, 20, 8, -1, ResultColumn.BINARY),
            new ResultColumn("g", 0, 0, 1700, -1, -1, ResultColumn.BINARY));
    byte[] card = java.nio.ByteBuffer.allocate(8).putLong(4111111111111111L).array();
    assertThat(plan.apply(0, card)).isNull();
    byte[] small = java.nio.ByteBuffer.allocate(8).putLong(42).array();
    assertThat(plan.apply(0, small)).isSameAs(small);
    // numeric 4111111111111111 in base-10000 digits: 4111 1111 1111 1111, weight 3
    byte[] numeric =
        java.nio.ByteBuffer.allocate(16)
            .putShort((short) 4)
            .putShort((short) 3)
            .putShort((short) 0)
            .putShort((short) 0)
            .putShort((short) 4111)
            .putShort((short) 1111)
            .putShort((short) 1111)
            .putShort((short) 1111)
            .array();
    assertThat(plan.apply(1, numeric)).isNull();
  }

  @Test
  void pseudonymWithoutAKeyRedacts() {
    CatalogMaskPlanner keyless = new CatalogMaskPlanner(catalog, null);
    MaskingPolicy policy =
        new MaskingPolicy(
            List.of(new MaskRule("p", "app.customers.email", MaskStrategy.PSEUDONYM, 0)),
            Set.of(),
            false);
    MaskPlan plan =
        keyless.plan(
            policy,
            ReferenceMasking.analyze("SELECT email FROM app.customers"),
            List.of(origin("email", FakeCatalog.CUSTOMERS, 3, 25)),
            "shop");
    assertThat(apply(plan, 0, "alice@example.com")).isEqualTo("****");
    assertThatThrownBy(() -> new CatalogMaskPlanner(catalog, new byte[4]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16 bytes");
  }

  @Test
  void anUnreadableCatalogRedactsEverything() {
    catalog.broken = true;
    MaskPlan plan =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT id, full_name FROM app.customers",
            origin("id", FakeCatalog.CUSTOMERS, 1, 20),
            origin("full_name", FakeCatalog.CUSTOMERS, 2, 25));
    assertThat(plan.apply(0, "1".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(apply(plan, 1, "Alice")).isEqualTo("****");
    assertThat(plan.applied())
        .extracting(AppliedMask::ruleId)
        .containsOnly(CatalogMaskPlanner.CATALOG_UNAVAILABLE);
  }

  @Test
  void aPlanMadeAgainStartsWithNothingAppliedAndMasksAlike() {
    MaskPlan first = plan(ReferenceMasking.UNCLEARED, "SELECT app.customer_email(1)", text("e"));
    assertThat(apply(first, 0, "alice@example.com")).isEqualTo("****");
    assertThat(first.applied()).hasSize(1);
    MaskPlan again = first.again();
    assertThat(again).isNotNull().isNotSameAs(first);
    assertThat(again.applied()).as("the first result's detector hit is its own").isEmpty();
    assertThat(apply(again, 0, "bob@example.org")).isEqualTo("****");
    assertThat(again.applied())
        .containsExactly(new AppliedMask("e", null, "detector:EMAIL", MaskStrategy.REDACT));
    assertThat(first.applied()).hasSize(1);
  }

  @Test
  void aPlanMadeWithoutTheCatalogIsNeverUsedAgain() {
    catalog.broken = true;
    MaskPlan plan =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT full_name FROM app.customers",
            origin("full_name", FakeCatalog.CUSTOMERS, 2, 25));
    assertThat(plan.again()).isNull();
  }

  @Test
  void unmaskedCellsAreTheSameArray() {
    MaskPlan plan =
        plan(
            ReferenceMasking.UNCLEARED,
            "SELECT full_name, ssn FROM app.customers",
            origin("full_name", FakeCatalog.CUSTOMERS, 2, 25),
            origin("ssn", FakeCatalog.CUSTOMERS, 4, 25));
    List<byte[]> cells = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      cells.add(("Customer " + i).getBytes(StandardCharsets.UTF_8));
    }
    for (byte[] cell : cells) {
      assertThat(plan.apply(0, cell)).isSameAs(cell);
    }
    assertThat(plan.applied()).extracting(AppliedMask::ruleId).containsExactly("customers-ssn");
    assertThat(plan.applied().toString()).doesNotContain("Customer");
    assertThatThrownBy(() -> plan.apply(2, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void severalRowStatementsWithoutAnIndexCountEveryStatement() {
    Analysis message =
        ReferenceMasking.analyze("SELECT upper(ssn) FROM app.customers; SELECT 1 AS one");
    MaskPlan whole =
        planner.plan(ReferenceMasking.UNCLEARED, message, List.of(text("upper")), "shop");
    assertThat(apply(whole, 0, "219-09-9999")).isEqualTo("****");
    MaskPlan second =
        planner.plan(
            ReferenceMasking.UNCLEARED,
            CatalogMaskPlanner.statementAnalysis(message, 1),
            List.of(text("one")),
            "shop");
    assertThat(apply(second, 0, "1")).isEqualTo("1");
    Analysis withCommit = ReferenceMasking.analyze("SELECT upper(ssn) FROM app.customers; COMMIT");
    MaskPlan first =
        planner.plan(ReferenceMasking.UNCLEARED, withCommit, List.of(text("upper")), "shop");
    assertThat(apply(first, 0, "219-09-9999")).isEqualTo("****");
  }

  @Test
  void schemaGuessedWithoutCatalogIsCorrectedByName() {
    MaskPlan plan =
        plan(ReferenceMasking.UNCLEARED, "SELECT upper(ssn) FROM customers", text("upper"));
    assertThat(apply(plan, 0, "219-09-9999")).isEqualTo("****");
  }
}
