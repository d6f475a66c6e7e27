package dev.gatehouse.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.masking.MaskingPolicy;
import dev.gatehouse.engine.policy.Decision;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.Obligations;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The blast-radius rules both front ends share: what is counted, what an approval is for. */
class RowBoundTest {

  private static Verdict verdict(String tag, StatementClass kind, long bound, RiskFlag... flags) {
    Set<TableRef> written =
        kind == StatementClass.WRITE ? Set.of(TableRef.of("app.orders")) : Set.of();
    return verdict(tag + " app.orders", tag, kind, Set.of(), written, bound, flags);
  }

  private static Verdict verdict(
      String sql,
      String tag,
      StatementClass kind,
      Set<TableRef> read,
      Set<TableRef> written,
      long bound,
      RiskFlag... flags) {
    StatementInfo info =
        new StatementInfo(
            sql, tag, kind, read, written, Set.of(), Map.of(), Set.of(flags), List.of());
    return new Verdict(
        new Analysis(sql, List.of(info), sql),
        new Decision(
            Effect.ALLOW,
            List.of("etl-writes"),
            "why",
            new Obligations("writer", false, 0, null, MaskingPolicy.NONE, bound),
            "rev1"));
  }

  @Test
  void boundedWritesAreCountedCopyInToo() {
    assertThat(RowBound.applies(verdict("UPDATE", StatementClass.WRITE, 100))).isTrue();
    assertThat(RowBound.applies(verdict("UPDATE", StatementClass.WRITE, 0))).isFalse();
    assertThat(RowBound.applies(verdict("SELECT", StatementClass.READ, 100))).isFalse();
    Verdict copy = verdict("COPY", StatementClass.WRITE, 100);
    assertThat(RowBound.applies(copy)).isTrue();
    assertThat(RowBound.copiesIn(copy)).isTrue();
    assertThat(
            RowBound.countable(verdict("UPDATE", StatementClass.WRITE, 100, RiskFlag.WRITE_IN_CTE)))
        .isFalse();
    assertThat(RowBound.countable(verdict("EXPLAIN", StatementClass.WRITE, 100))).isFalse();
  }

  @Test
  void theHeldDecisionShowsTheCountAndTheApprovalIsForIt() {
    Verdict v = verdict("UPDATE", StatementClass.WRITE, 100);
    Verdict held = RowBound.overBound(v, 5000);
    assertThat(held.decision().effect()).isEqualTo(Effect.REQUIRE_APPROVAL);
    assertThat(held.decision().ruleIds()).containsExactly("etl-writes", "max-rows-affected");
    assertThat(held.decision().explanation()).startsWith("would update 5,000 rows of app.orders");
    assertThat(RowBound.shownCount(held.decision().explanation())).isEqualTo(5000);

    Verdict approved =
        RowBound.approved(held, held.decision().explanation(), held.decision().ruleIds());
    assertThat(RowBound.of(approved)).isEqualTo(5000);
    Verdict again = RowBound.overApproved(approved, 7000);
    assertThat(again.decision().explanation())
        .startsWith("would update 7,000 rows of app.orders")
        .contains("the approval was for 5,000");
    assertThat(RowBound.shownCount(again.decision().explanation())).isEqualTo(7000);
  }

  @Test
  void anOverBoundRequestNamesEveryKindOfWriteItCounts() {
    // Red-team round 37 (R37-2): a DELETE of 150 rows and an UPDATE of 1 were shown as "would
    // update 151 rows".
    Verdict delete = verdict("DELETE", StatementClass.WRITE, 100);
    Verdict update = verdict("UPDATE", StatementClass.WRITE, 100);
    Verdict both =
        new Verdict(
            new Analysis(
                "DELETE …; UPDATE …",
                List.of(
                    delete.analysis().statements().getFirst(),
                    update.analysis().statements().getFirst()),
                "DELETE …; UPDATE …"),
            delete.decision());
    String shown = RowBound.overBound(both, 151).decision().explanation();
    assertThat(shown).startsWith("would delete and update 151 rows of app.orders");
    // The approved run stays bounded by the count shown.
    assertThat(RowBound.shownCount(shown)).isEqualTo(151);
  }

  /**
   * Red-team round 56: a locking read past the bound was shown as "would change 5,000 rows of ;",
   * and rows locked in a subquery or CTE were counted by the outer statement's tag.
   */
  @Test
  void aLockingReadIsShownAsTheRowsItLocksAndANestedOneIsNotCounted() {
    Verdict lock = lockingRead(RiskFlag.LOCKING_READ);
    assertThat(RowBound.applies(lock)).isTrue();
    assertThat(RowBound.countable(lock)).isTrue();
    String shown = RowBound.overBound(lock, 5000).decision().explanation();
    assertThat(shown).startsWith("would lock 5,000 rows of app.orders;");
    assertThat(RowBound.shownCount(shown)).isEqualTo(5000);

    Verdict nested = lockingRead(RiskFlag.LOCKING_READ, RiskFlag.UNCOUNTED_LOCK);
    assertThat(RowBound.countable(nested)).isFalse();
    assertThat(RowBound.uncountableReason(nested)).contains("a lock over a join, a subquery");
  }

  private static Verdict lockingRead(RiskFlag... flags) {
    return verdict(
        "SELECT id FROM app.orders FOR UPDATE",
        "SELECT",
        StatementClass.WRITE,
        Set.of(TableRef.of("app.orders")),
        Set.of(),
        100,
        flags);
  }

  @Test
  void theReasonAWriteCannotBeCountedNamesWhatItIs() {
    // Red-team round 36 (R36-1): a NOTIFY was held as "a write in a CTE".
    Verdict notify = verdict("NOTIFY", StatementClass.WRITE, 100);
    assertThat(RowBound.countable(notify)).isFalse();
    assertThat(RowBound.uncountableReason(notify)).contains("`NOTIFY`").doesNotContain("CTE");
    Verdict cte = verdict("SELECT", StatementClass.WRITE, 100, RiskFlag.WRITE_IN_CTE);
    assertThat(RowBound.uncountableReason(cte)).contains("a write in a CTE");
    // Red-team round 37 (R37-1): the approval lifts the bound from the whole message; the request
    // says so, and names what it writes.
    assertThat(RowBound.uncountable(cte, "x").decision().explanation())
        .contains("the whole message runs once without the bound")
        .contains("writing app.orders");
  }

  /**
   * Red-team round 54: what the request showed decides. A request held by another rule (taint)
   * showed no count: the approved run keeps the grant's bound even when the call using it was
   * allowed and resumed under the bound's own rule.
   */
  @Test
  void anApprovalOfAnotherRulesHoldKeepsTheGrantsBoundWhoeverUsesIt() {
    Verdict resumed = RowBound.resumed(verdict("UPDATE", StatementClass.WRITE, 100));
    assertThat(resumed.decision().ruleIds()).contains("max-rows-affected");
    String taintReason = "this session read untrusted text from `app.orders.note`";
    assertThat(RowBound.of(RowBound.approved(resumed, taintReason, List.of("taint"))))
        .isEqualTo(100);
  }

  @Test
  void anApprovalThatShowedNoCountLiftsTheBound() {
    Verdict held = RowBound.uncountable(verdict("UPDATE", StatementClass.WRITE, 100), "a CTE");
    assertThat(RowBound.shownCount(held.decision().explanation())).isEqualTo(-1);
    assertThat(
            RowBound.of(
                RowBound.approved(held, held.decision().explanation(), held.decision().ruleIds())))
        .isZero();
    assertThat(RowBound.shownCount(null)).isEqualTo(-1);
    assertThat(RowBound.shownCount("changes to every row need a DBA")).isEqualTo(-1);
  }
}
