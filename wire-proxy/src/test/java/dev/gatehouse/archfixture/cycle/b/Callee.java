package dev.gatehouse.archfixture.cycle.b;

import dev.gatehouse.archfixture.cycle.a.Caller;

/** The other half of a package cycle, for the architecture test to prove its rule can fail. */
public final class Callee {
  public static int answer() {
    return 42;
  }

  public static int back() {
    return Caller.call();
  }
}
