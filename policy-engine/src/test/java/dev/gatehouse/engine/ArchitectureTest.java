package dev.gatehouse.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The policy engine is plain Java that both front ends share (DESIGN.md, Modules). */
class ArchitectureTest {

  private static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.gatehouse.engine");

  @Test
  void engineUsesNoFrameworkOrTransport() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "io.netty..", "com.slack..")
        .because("policy-engine never imports Spring, Netty or Slack")
        .check(ENGINE);
  }

  @Test
  void engineKnowsNoFrontEnd() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.gatehouse.wire..",
            "dev.gatehouse.mcp..",
            "dev.gatehouse.slack..",
            "dev.gatehouse.gateway..")
        .because("dependencies point gateway -> front ends -> policy-engine only")
        .check(ENGINE);
  }

  @Test
  void packagesHaveNoCycles() {
    // One slice per area (sql, policy, audit, ...), its subpackages included. The root package is
    // left out: it is the facade (Gate, Engine) that wires every area, and it still holds types the
    // areas use (Verdict, UpstreamDirectory), so counting it would report that known cycle only.
    slices().matching("dev.gatehouse.engine.(*)..").should().beFreeOfCycles().check(ENGINE);
  }
}
