package dev.gatehouse.engine.audit;

import static dev.gatehouse.engine.audit.AuditFixtures.principal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.sql.RiskFlag;
import dev.gatehouse.testkit.ReferencePrincipal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditConfigTest {

  final AuditKey key = AuditKey.of(new byte[32]);

  @Test
  void defaultsFailClosedAndHashParameters() {
    AuditConfig c = AuditConfig.defaults("gw-1", key, Path.of("spool"));
    assertThat(c.failOpenDatabases()).isEmpty();
    assertThat(c.paramMode()).isEqualTo(ParamMode.HMAC);
    assertThat(c.capture()).isEqualTo(CaptureConfig.OFF);
    assertThat(c.durableTimeout()).isPositive();
  }

  @Test
  void badValuesAreRefusedWithTheFieldName() {
    assertThatThrownBy(() -> AuditConfig.defaults("gw 1", key, Path.of("s")))
        .hasMessageContaining("audit `instance-id` `gw 1`");
    assertThatThrownBy(
            () ->
                AuditConfig.defaults("gw", key, Path.of("s"))
                    .withTimings(Duration.ofMillis(1), Duration.ZERO, Duration.ofMillis(1)))
        .hasMessage("audit `durable-timeout` must be positive");
    assertThatThrownBy(() -> new CaptureConfig(Set.of(), Set.of(), Set.of(), Set.of(), 5_000, 10))
        .hasMessage("audit capture `max-rows` must be between 0 and 1000, got 5000");
    assertThatThrownBy(() -> ControlDatabase.Settings.of("jdbc:mysql://x/y", "u", "p"))
        .hasMessageContaining("must start with `jdbc:postgresql:`");
    assertThatThrownBy(
            () ->
                ControlDatabase.Settings.of("jdbc:postgresql://x/y", "u", "p")
                    .withSchema("Audit;drop"))
        .hasMessageContaining("must be a lower-case identifier");
  }

  @Test
  void controlDatabaseIsRecognizedAmongUpstreams() {
    ControlDatabase.Settings control =
        ControlDatabase.Settings.of("jdbc:postgresql://db.internal:5432/gatehouse", "u", "p");
    assertThat(control.sameDatabaseAs("jdbc:postgresql://db.internal/gatehouse?ssl=true")).isTrue();
    assertThat(control.sameDatabaseAs("jdbc:postgresql://DB.internal:5432/gatehouse")).isTrue();
    assertThat(control.sameDatabaseAs("jdbc:postgresql://db.internal:5432/shop")).isFalse();
    assertThat(control.sameDatabaseAs("jdbc:postgresql://db.internal:5433/gatehouse")).isFalse();
  }

  @Test
  void captureAppliesOnlyToChosenPrincipalsTablesOrFlags() {
    CaptureConfig c =
        new CaptureConfig(
            Set.of("etl-nightly"),
            Set.of("contractors"),
            Set.of("App.Payments"),
            Set.of(RiskFlag.NO_WHERE),
            10,
            4_096);
    assertThat(c.limitFor(principal(ReferencePrincipal.ETL_NIGHTLY), List.of(), Set.of()))
        .isEqualTo(10);
    assertThat(c.limitFor(principal(ReferencePrincipal.CONTRACTOR), List.of(), Set.of()))
        .isEqualTo(10);
    assertThat(c.limitFor(principal(ReferencePrincipal.ANALYST), List.of("app.payments"), Set.of()))
        .isEqualTo(10);
    assertThat(
            c.limitFor(principal(ReferencePrincipal.ANALYST), List.of(), Set.of(RiskFlag.NO_WHERE)))
        .isEqualTo(10);
    assertThat(
            c.limitFor(principal(ReferencePrincipal.ANALYST), List.of("app.customers"), Set.of()))
        .isZero();
    assertThat(
            CaptureConfig.OFF.limitFor(
                principal(ReferencePrincipal.ETL_NIGHTLY), List.of(), Set.of()))
        .isZero();
  }
}
