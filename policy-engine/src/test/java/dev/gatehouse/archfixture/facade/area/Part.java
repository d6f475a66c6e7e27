package dev.gatehouse.archfixture.facade.area;

import dev.gatehouse.archfixture.facade.Facade;

/** The area half of a root-package cycle, for the architecture test to prove its rule can fail. */
public final class Part {
  public static Facade.Shared use() {
    return new Facade.Shared(42);
  }
}
