package dev.gatehouse.gateway.web;

import dev.gatehouse.engine.Engine;
import dev.gatehouse.engine.audit.AuditKey;
import dev.gatehouse.gateway.config.GatewayConfig;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * What the console needs besides the admin API's beans: the control database (approval history,
 * chain verification), the audit key (to verify chains) and the parameter mode (to label
 * parameters).
 */
public record ConsoleSettings(
    DataSource control, String schema, AuditKey auditKey, String paramMode) {

  /** The console settings of a running gateway. */
  public static ConsoleSettings of(GatewayConfig config, Engine engine) {
    return new ConsoleSettings(
        engine.control().dataSource(),
        config.control().schema(),
        config.audit().key(),
        config.audit().paramMode().name().toLowerCase(Locale.ROOT));
  }
}
