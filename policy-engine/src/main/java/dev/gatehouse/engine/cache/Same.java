package dev.gatehouse.engine.cache;

/**
 * A key part compared by identity: for objects that are equal only to themselves in meaning (a
 * principal made from one token, a decision, a set of tables an analysis holds), and cheaper to
 * compare so than by their contents.
 */
public record Same(Object o) {
  @Override
  public boolean equals(Object other) {
    return other instanceof Same s && s.o == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(o);
  }
}
