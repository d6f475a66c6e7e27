package dev.gatehouse.mcp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.gatehouse.engine.testing.AreaCycles.noCyclesUnder;
import static dev.gatehouse.engine.testing.AreaCycles.noPackageCycles;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The MCP server only translates (ADR 0009), and its packages depend one way. */
class McpArchitectureTest {

  private static final JavaClasses MCP =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.gatehouse.mcp");

  @Test
  void recordingAndApprovalsAreAdmissionsBusiness() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.gatehouse.engine.audit..", "dev.gatehouse.engine.approval..")
        .because("front ends only translate; admission records and waits for approvals")
        .check(MCP);
  }

  @Test
  void noPackageReachesASubpackageThatReachesBack() {
    noPackageCycles().check(MCP);
  }

  @Test
  void packagesHaveNoCycles() {
    // One slice per area (tools, exec, ...) and the root package one too.
    noCyclesUnder("dev.gatehouse.mcp").check(MCP);
  }
}
