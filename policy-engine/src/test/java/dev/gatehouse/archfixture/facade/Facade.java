package dev.gatehouse.archfixture.facade;

import dev.gatehouse.archfixture.facade.area.Part;

/** A root package that wires an area which reaches back to it, for the cycle rule to catch. */
public final class Facade {
  /** A type the area uses, left in the root package as Verdict once was. */
  public record Shared(int value) {}

  public static int run() {
    return Part.use().value();
  }
}
