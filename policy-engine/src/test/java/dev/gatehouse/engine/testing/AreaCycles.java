package dev.gatehouse.engine.testing;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/** The package-cycle rule the modules' architecture tests share. */
public final class AreaCycles {

  private AreaCycles() {}

  /**
   * One slice per area under {@code root} (its subpackages included) and the root package a slice
   * of its own, so an area that reaches back to the module's root (a facade that wires every area)
   * counts as a cycle as well as two areas that reach each other. {@code "x.(*).."} leaves the root
   * out; this does not.
   */
  public static ArchRule noCyclesUnder(String root) {
    return slices().assignedFrom(new Areas(root)).should().beFreeOfCycles();
  }

  /**
   * Every package a slice of its own, so a package and its subpackage reaching each other (sql and
   * sql.lineage, protocol and protocol.backend) count as a cycle too; {@link #noCyclesUnder} does
   * not see those, and this does not see an area's subpackage reaching another area that reaches
   * back: the architecture tests check both.
   */
  public static ArchRule noPackageCycles() {
    return slices().matching("dev.gatehouse.(**)").should().beFreeOfCycles();
  }

  private record Areas(String root) implements SliceAssignment {

    @Override
    public SliceIdentifier getIdentifierOf(JavaClass type) {
      String pkg = type.getPackageName();
      if (pkg.equals(root)) {
        return SliceIdentifier.of("(root)");
      }
      if (!pkg.startsWith(root + ".")) {
        return SliceIdentifier.ignore();
      }
      return SliceIdentifier.of(pkg.substring(root.length() + 1).split("\\.", 2)[0]);
    }

    @Override
    public String getDescription() {
      return "the areas of " + root + " and its root package";
    }
  }
}
