package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.wire.protocol.ProtocolViolation;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The client's side of startup, after any TLS negotiation: the StartupMessage, the OIDC token (as
 * the cleartext password or through OAUTHBEARER), and the probe decision that names the upstream
 * role to connect as. The startup {@code user} is only a hint; the token decides who the client is.
 *
 * @see <a
 *     href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP">Start-up</a>
 */
public final class StartupFlow {

  /**
   * The statement decided at startup to learn the upstream role the principal's grants name: it
   * reads nothing, so any principal allowed anything on the database is allowed it.
   */
  public static final String PROBE = "SELECT 1";

  /** Client run-time parameters that are safe to pass upstream; all others stay here. */
  private static final Set<String> PASSED_UPSTREAM =
      Set.of(
          "application_name",
          "client_encoding",
          "DateStyle",
          "TimeZone",
          "IntervalStyle",
          "extra_float_digits");

  /** What the client asked for and the identity its token proved. */
  public record Authenticated(
      StartupMessage startup, Principal principal, Verdict probe, Map<String, String> passed) {}

  private final Gate gate;
  private final Clock clock;
  private final String clientAddress;
  private StartupMessage startup;

  public StartupFlow(Gate gate, Clock clock, String clientAddress) {
    this.gate = gate;
    this.clock = clock;
    this.clientAddress = clientAddress;
  }

  /** Checks the StartupMessage; the caller answers with AuthenticationCleartextPassword. */
  public StartupMessage startup(StartupMessage message) {
    if (message.parameters().containsKey("replication")) {
      throw new ProtocolViolation("replication connections are not supported by the gateway");
    }
    if (message.user() == null || message.user().isBlank()) {
      throw new ProtocolViolation("the startup message names no `user`");
    }
    String encoding = message.parameters().get("client_encoding");
    if (encoding != null && !ClientEncoding.accepted(encoding)) {
      throw new StartupRefused(SqlState.FEATURE_NOT_SUPPORTED, ClientEncoding.refusal(encoding));
    }
    this.startup = message;
    return message;
  }

  /**
   * Verifies a token however the client presented it (password or OAUTHBEARER) and takes the probe
   * decision. Blocking (the gate may fetch signing keys), so callers run it off the event loop.
   *
   * @throws AuthenticationException when the token is refused
   */
  public Authenticated authenticate(String token) throws AuthenticationException {
    if (startup == null) {
      throw new ProtocolViolation("token before the startup message");
    }
    RequestContext context = context();
    Principal principal = gate.authenticate(token.strip(), context);
    Verdict probe = gate.decide(principal, context, AnalysisContext.DEFAULT, PROBE);
    Map<String, String> passed = new LinkedHashMap<>();
    startup
        .parameters()
        .forEach(
            (k, v) -> {
              if (PASSED_UPSTREAM.contains(k)) {
                // The gateway reads statements as UTF-8, so the upstream always speaks UTF8.
                passed.put(k, "client_encoding".equals(k) ? ClientEncoding.UPSTREAM : v);
              }
            });
    return new Authenticated(startup, principal, probe, passed);
  }

  /** The upstream role to connect as at startup, or null to wait for a decision that names one. */
  public static String startupRole(Verdict probe) {
    return probe.decision().effect() == Effect.ALLOW
        ? probe.decision().obligations().upstreamRole()
        : null;
  }

  public RequestContext context() {
    return new RequestContext(
        Channel.WIRE,
        startup.database(),
        startup.parameters().get("application_name"),
        clientAddress,
        clock.instant());
  }

  /** The SQLSTATE of a refused token. */
  public static SqlState refusal(AuthenticationException e) {
    return switch (e.reason()) {
      case MISSING_TOKEN -> SqlState.INVALID_AUTHORIZATION;
      case UNKNOWN_DATABASE -> SqlState.INVALID_CATALOG_NAME;
      default -> SqlState.INVALID_PASSWORD;
    };
  }
}
