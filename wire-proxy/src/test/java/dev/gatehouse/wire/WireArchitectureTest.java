package dev.gatehouse.wire;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The wire proxy only translates (ADR 0009), and its packages depend one way. */
class WireArchitectureTest {

  private static final JavaClasses WIRE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.gatehouse.wire");

  @Test
  void recordingAndApprovalsAreAdmissionsBusiness() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.gatehouse.engine.audit..", "dev.gatehouse.engine.approval..")
        .because("front ends only translate; admission records and waits for approvals")
        .check(WIRE);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.gatehouse.wire.(*)..").should().beFreeOfCycles().check(WIRE);
  }
}
