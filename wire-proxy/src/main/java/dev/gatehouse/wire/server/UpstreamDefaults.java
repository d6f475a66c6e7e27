package dev.gatehouse.wire.server;

import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.wire.flow.SessionInfo;
import dev.gatehouse.wire.protocol.backend.ParameterStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Run-time parameters for the upstream startup, and what a client sees before any upstream. */
final class UpstreamDefaults {

  private UpstreamDefaults() {}

  static Map<String, String> runtime(SessionInfo info, Verdict probe) {
    Map<String, String> parameters = new LinkedHashMap<>(info.runtimeParameters());
    parameters.putAll(dev.gatehouse.wire.flow.UpstreamOptions.of(probe.decision().obligations()));
    return parameters;
  }

  /**
   * The parameters a client needs at startup when nothing is allowed yet, so that no upstream
   * connection exists: the values PostgreSQL reports by default for a UTF-8 database.
   */
  static List<ParameterStatus> parameters(SessionInfo info) {
    String application = info.applicationName() == null ? "" : info.applicationName();
    return List.of(
        new ParameterStatus("application_name", application),
        new ParameterStatus("client_encoding", "UTF8"),
        new ParameterStatus("DateStyle", "ISO, MDY"),
        new ParameterStatus("integer_datetimes", "on"),
        new ParameterStatus("IntervalStyle", "postgres"),
        new ParameterStatus("is_superuser", "off"),
        new ParameterStatus("server_encoding", "UTF8"),
        new ParameterStatus("server_version", "16.0"),
        new ParameterStatus("session_authorization", info.principal().subject()),
        new ParameterStatus("standard_conforming_strings", "on"),
        new ParameterStatus("TimeZone", "UTC"));
  }
}
