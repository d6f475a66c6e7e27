package dev.gatehouse.archfixture.cycle.a;

import dev.gatehouse.archfixture.cycle.b.Callee;

/** Half of a package cycle, for the architecture test to prove its rule can fail. */
public final class Caller {
  public static int call() {
    return Callee.answer();
  }
}
