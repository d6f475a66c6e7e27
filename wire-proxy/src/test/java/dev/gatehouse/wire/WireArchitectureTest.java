package dev.gatehouse.wire;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.gatehouse.engine.testing.AreaCycles.noCyclesUnder;
import static dev.gatehouse.engine.testing.AreaCycles.noPackageCycles;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.gatehouse.wire.flow.Session;
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
  void noPackageReachesASubpackageThatReachesBack() {
    noPackageCycles().check(WIRE);
  }

  @Test
  void packagesHaveNoCycles() {
    // One slice per area (flow, protocol, server, ...) and the root package one too.
    noCyclesUnder("dev.gatehouse.wire").check(WIRE);
  }

  @Test
  void theCycleRuleFailsOnACycle() {
    JavaClasses cyclic = new ClassFileImporter().importPackages("dev.gatehouse.archfixture.cycle");
    EvaluationResult result = noCyclesUnder("dev.gatehouse.archfixture.cycle").evaluate(cyclic);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString())
        .contains("Cycle detected: Slice a")
        .contains(
            "Caller.call()> calls method <dev.gatehouse.archfixture.cycle.b.Callee.answer()>");
  }

  @Test
  void theServerDrivesTheFlowsNeverTheOtherWayRound() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.gatehouse.wire.flow..",
            "dev.gatehouse.wire.upstream..",
            "dev.gatehouse.wire.protocol..",
            "dev.gatehouse.wire.net..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.gatehouse.wire.server..")
        .check(WIRE);
  }

  @Test
  void theProtocolKnowsNoFlowUpstreamOrServer() {
    noClasses()
        .that()
        .resideInAPackage("dev.gatehouse.wire.protocol..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.gatehouse.wire.flow..",
            "dev.gatehouse.wire.upstream..",
            "dev.gatehouse.wire.server..")
        .check(WIRE);
  }

  @Test
  void flowsReachTheSessionThroughItsMethodsNotItsFields() {
    fields()
        .that()
        .areDeclaredIn(Session.class)
        .should()
        .bePrivate()
        .because("the session's state is grouped behind intention-named types (issue 14)")
        .check(WIRE);
  }

  @Test
  void flowsTakeTheSessionsRolesNeverTheSessionItself() {
    noClasses()
        .that()
        .resideInAPackage("dev.gatehouse.wire.flow")
        .and(not(belongToAnyOf(Session.class)))
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(Session.class)
        .because(
            "a flow takes the roles it uses (Pacing, ClientAnswers, UpstreamSide, SessionState,"
                + " Admitting), not the whole session (issue 14)")
        .check(WIRE);
  }

  @Test
  void theSessionOffersFlowsNothingButItsRoles() {
    // Its non-private methods are the network's: the server's handler and the upstream's listener.
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods()
        .that()
        .areDeclaredIn(Session.class)
        .and()
        .areNotPrivate()
        .should()
        .bePublic()
        .because("flows reach the session only through its roles (issue 14)")
        .check(WIRE);
  }
}
