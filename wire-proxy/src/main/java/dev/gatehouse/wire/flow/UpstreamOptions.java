package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.policy.Obligations;
import java.util.Map;

/**
 * Run-time parameters that enforce a decision's obligations for the whole upstream session, so that
 * they hold even for a statement that slipped past analysis.
 */
public final class UpstreamOptions {

  private UpstreamOptions() {}

  public static Map<String, String> of(Obligations obligations) {
    StringBuilder options = new StringBuilder();
    if (obligations.readOnly()) {
      options.append("-c default_transaction_read_only=on");
    }
    if (obligations.statementTimeout() != null && !obligations.statementTimeout().isZero()) {
      if (!options.isEmpty()) {
        options.append(' ');
      }
      options.append("-c statement_timeout=").append(obligations.statementTimeout().toMillis());
    }
    return options.isEmpty() ? Map.of() : Map.of("options", options.toString());
  }
}
