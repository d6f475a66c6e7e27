package dev.gatehouse.slack;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The approval bot's packages depend one way. */
class SlackArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.gatehouse.slack");

  @Test
  void packagesHaveNoCycles() {
    // Every package is a slice of its own (the root package too), so a cycle between a package and
    // its parent counts as well as one between siblings.
    slices().matching("dev.gatehouse.(**)").should().beFreeOfCycles().check(MAIN);
  }
}
