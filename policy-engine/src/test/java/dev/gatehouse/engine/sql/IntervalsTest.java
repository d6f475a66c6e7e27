package dev.gatehouse.engine.sql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The number sets the every-row check combines an OR's comparisons with. */
class IntervalsTest {

  private static Intervals of(String op, long c) {
    return Intervals.of(op, BigDecimal.valueOf(c));
  }

  @Test
  void complementaryComparisonsCoverEveryNumber() {
    assertTrue(of("<", 5).union(of(">=", 5)).isAll());
    assertTrue(of("<=", 5).union(of(">", 5)).isAll());
    assertTrue(of("<>", 5).union(of("=", 5)).isAll());
    assertTrue(of("<", 6).union(of(">", 4)).isAll());
    assertTrue(of("<>", 5).union(of("<>", 6)).isAll());
  }

  @Test
  void gapsAndOpenEndsAreKept() {
    assertFalse(of("<", 5).union(of(">", 5)).isAll(), "5 is left out");
    assertFalse(of("<", 5).union(of(">=", 6)).isAll());
    assertFalse(of("<>", 5).isAll());
    assertFalse(of("=", 1).union(of("=", 2)).coversInt4());
    assertFalse(of("<", 5).union(of(">", 5)).coversInt4());
  }

  @Test
  void intersectionsAndComplements() {
    assertTrue(of("<", 0).intersect(of(">", 0)).isEmpty());
    assertTrue(of("=", 5).intersect(of("<>", 5)).isEmpty());
    assertFalse(of(">=", 1).intersect(of("<=", 1)).isEmpty(), "x = 1");
    assertTrue(of(">", 5).intersect(of("<", 3)).complement().isAll());
    Intervals oneToTen = of(">=", 1).intersect(of("<=", 10));
    assertTrue(oneToTen.union(oneToTen.complement()).isAll());
    assertFalse(oneToTen.complement().isAll());
  }

  @Test
  void everyInt4IsCaughtButARealBoundIsNot() {
    assertTrue(Intervals.of(">", BigDecimal.valueOf(-2147483649L)).coversInt4());
    assertTrue(of(">=", Integer.MIN_VALUE).coversInt4());
    assertTrue(Intervals.of("<>", new BigDecimal("2.5")).coversInt4());
    assertFalse(of(">", Integer.MIN_VALUE).coversInt4(), "the int4 minimum is left out");
    assertFalse(of(">", 0).coversInt4());
    assertFalse(of("<", 3_000_000_000L).isAll());
  }
}
