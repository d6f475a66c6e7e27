package dev.gatehouse.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.gatehouse.engine.testing.AreaCycles.noCyclesUnder;
import static dev.gatehouse.engine.testing.AreaCycles.noPackageCycles;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
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
  void noPackageReachesASubpackageThatReachesBack() {
    noPackageCycles().check(ENGINE);
  }

  @Test
  void packagesHaveNoCycles() {
    // One slice per area (sql, policy, audit, ...), its subpackages included, and the root package
    // (the facade: Gate, Engine) one too: the areas' shared types live in areas (Verdict in policy,
    // UpstreamDirectory in upstream), so no area reaches back to the facade.
    noCyclesUnder("dev.gatehouse.engine").check(ENGINE);
  }

  @Test
  void thePackageCycleRuleCountsAPackageAndItsSubpackage() {
    JavaClasses cyclic = new ClassFileImporter().importPackages("dev.gatehouse.archfixture.facade");
    EvaluationResult result = noPackageCycles().evaluate(cyclic);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString())
        .contains("Slice archfixture.facade")
        .contains("Slice archfixture.facade.area");
  }

  @Test
  void theCycleRuleCountsTheRootPackage() {
    JavaClasses cyclic = new ClassFileImporter().importPackages("dev.gatehouse.archfixture.facade");
    EvaluationResult result = noCyclesUnder("dev.gatehouse.archfixture.facade").evaluate(cyclic);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString())
        .contains("Cycle detected: Slice (root)")
        .contains("Slice area")
        .contains("dev.gatehouse.archfixture.facade.area.Part.use()");
  }
}
