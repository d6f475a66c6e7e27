package dev.gatehouse.engine.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A set of numbers as a union of disjoint intervals, for {@link Tautology}: which values of a
 * column a condition made of comparisons with numeric constants lets through ({@code id < 6 OR id >
 * 4} is every number, {@code NOT (id = 5 AND id <> 5)} too). A {@code null} bound is infinite.
 */
final class Intervals {

  /**
   * The int4 range: a condition letting all its integers through may hold for every row of an
   * integer column.
   */
  private static final Intervals INT4 =
      new Intervals(
          List.of(
              new Span(
                  BigDecimal.valueOf(Integer.MIN_VALUE),
                  true,
                  BigDecimal.valueOf(Integer.MAX_VALUE),
                  true)));

  static final Intervals ALL = new Intervals(List.of(new Span(null, false, null, false)));
  static final Intervals NONE = new Intervals(List.of());

  private record Span(BigDecimal lo, boolean loIn, BigDecimal hi, boolean hiIn) {
    boolean empty() {
      if (lo == null || hi == null) {
        return false;
      }
      int c = lo.compareTo(hi);
      return c > 0 || (c == 0 && !(loIn && hiIn));
    }
  }

  private final List<Span> spans;

  private Intervals(List<Span> spans) {
    this.spans = spans;
  }

  /** The values {@code x} with {@code x op c}; null for an operator that is not a comparison. */
  static Intervals of(String op, BigDecimal c) {
    return switch (op) {
      case "=" -> one(new Span(c, true, c, true));
      case "<>", "!=" -> ALL.minus(one(new Span(c, true, c, true)));
      case "<" -> one(new Span(null, false, c, false));
      case "<=" -> one(new Span(null, false, c, true));
      case ">" -> one(new Span(c, false, null, false));
      case ">=" -> one(new Span(c, true, null, false));
      default -> null;
    };
  }

  private static Intervals one(Span s) {
    return s.empty() ? NONE : new Intervals(List.of(s));
  }

  boolean isEmpty() {
    return spans.isEmpty();
  }

  boolean isAll() {
    return covers(ALL);
  }

  /**
   * True when these values include every int4: the condition may then hold for every row of an
   * integer column ({@code id > -2147483649}, {@code id <> 2.5}), which is as bad as every number.
   */
  boolean coversInt4() {
    for (Span gap : INT4.minus(this).spans) {
      if (holdsAnInteger(gap)) {
        return false;
      }
    }
    return true;
  }

  /** True when the (bounded) span holds an integer. */
  private static boolean holdsAnInteger(Span s) {
    BigDecimal first = s.lo.setScale(0, java.math.RoundingMode.CEILING);
    if (!s.loIn && first.compareTo(s.lo) == 0) {
      first = first.add(BigDecimal.ONE);
    }
    int c = first.compareTo(s.hi);
    return c < 0 || (c == 0 && s.hiIn);
  }

  private boolean covers(Intervals other) {
    return other.minus(this).isEmpty();
  }

  Intervals union(Intervals other) {
    List<Span> all = new ArrayList<>(spans);
    all.addAll(other.spans);
    return normal(all);
  }

  Intervals intersect(Intervals other) {
    return ALL.minus(ALL.minus(this).union(ALL.minus(other)));
  }

  Intervals complement() {
    return ALL.minus(this);
  }

  /** This set without {@code other}'s values. */
  private Intervals minus(Intervals other) {
    List<Span> out = new ArrayList<>(spans);
    for (Span cut : other.spans) {
      List<Span> next = new ArrayList<>();
      for (Span s : out) {
        if (cut.lo != null) { // the part of s below the cut
          Bound hi = minUpper(s.hi, s.hiIn, cut.lo, !cut.loIn);
          next.add(new Span(s.lo, s.loIn, hi.value, hi.in));
        }
        if (cut.hi != null) { // the part of s above the cut
          Bound lo = maxLower(s.lo, s.loIn, cut.hi, !cut.hiIn);
          next.add(new Span(lo.value, lo.in, s.hi, s.hiIn));
        }
      }
      out = normal(next).spans;
    }
    return normal(out);
  }

  private record Bound(BigDecimal value, boolean in) {}

  /** The lower of two upper bounds; null is +infinity. */
  private static Bound minUpper(BigDecimal a, boolean aIn, BigDecimal b, boolean bIn) {
    if (a == null || b == null) {
      return a == null ? new Bound(b, bIn) : new Bound(a, aIn);
    }
    int c = a.compareTo(b);
    return c < 0 ? new Bound(a, aIn) : c > 0 ? new Bound(b, bIn) : new Bound(a, aIn && bIn);
  }

  /** The higher of two lower bounds; null is -infinity. */
  private static Bound maxLower(BigDecimal a, boolean aIn, BigDecimal b, boolean bIn) {
    if (a == null || b == null) {
      return a == null ? new Bound(b, bIn) : new Bound(a, aIn);
    }
    int c = a.compareTo(b);
    return c > 0 ? new Bound(a, aIn) : c < 0 ? new Bound(b, bIn) : new Bound(a, aIn && bIn);
  }

  private static Intervals normal(List<Span> spans) {
    List<Span> live = new ArrayList<>();
    for (Span s : spans) {
      if (!s.empty()) {
        live.add(s);
      }
    }
    live.sort(
        Comparator.comparing(
                (Span s) -> s.lo, Comparator.nullsFirst(Comparator.<BigDecimal>naturalOrder()))
            .thenComparing(s -> !s.loIn));
    List<Span> out = new ArrayList<>();
    for (Span s : live) {
      if (out.isEmpty()) {
        out.add(s);
        continue;
      }
      Span last = out.get(out.size() - 1);
      if (touches(last, s)) {
        Bound hi = maxUpper(last, s);
        out.set(out.size() - 1, new Span(last.lo, last.loIn, hi.value, hi.in));
      } else {
        out.add(s);
      }
    }
    return new Intervals(List.copyOf(out));
  }

  /** True when s (starting at or after last's start) overlaps or adjoins last. */
  private static boolean touches(Span last, Span s) {
    if (last.hi == null || s.lo == null) {
      return true;
    }
    int c = last.hi.compareTo(s.lo);
    return c > 0 || (c == 0 && (last.hiIn || s.loIn));
  }

  private static Bound maxUpper(Span a, Span b) {
    if (a.hi == null || b.hi == null) {
      return new Bound(null, false);
    }
    int c = a.hi.compareTo(b.hi);
    return c > 0
        ? new Bound(a.hi, a.hiIn)
        : c < 0 ? new Bound(b.hi, b.hiIn) : new Bound(a.hi, a.hiIn || b.hiIn);
  }
}
