package dev.gatehouse.wire.upstream;

import com.ongres.scram.client.ScramClient;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.backend.Authentication;
import dev.gatehouse.wire.protocol.backend.BackendKeyData;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.ParameterStatus;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.PasswordMessage;
import dev.gatehouse.wire.protocol.frontend.SaslInitialResponse;
import dev.gatehouse.wire.protocol.frontend.SaslResponse;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The gateway's own startup as a client of PostgreSQL: StartupMessage, then SCRAM-SHA-256, md5 or
 * cleartext authentication with the upstream role's credentials (which never reach the client),
 * then the server's ParameterStatus and BackendKeyData up to ReadyForQuery.
 *
 * @see <a
 *     href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP">Start-up</a>
 * @see <a href="https://www.postgresql.org/docs/current/sasl-authentication.html">SASL
 *     authentication</a>
 */
public final class UpstreamStartupFlow {

  /** What the upstream told us during its startup. */
  public record Ready(List<ParameterStatus> parameters, BackendKeyData key) {}

  /** How the startup ended badly: the message is safe to show (no credentials). */
  public static final class Failed extends Exception {
    private final SqlState passedSqlState;
    private final String detail;

    public Failed(String message) {
      this(message, null, null);
    }

    /**
     * A refusal whose SQLSTATE is the truth for the client too ({@link #PASSED_THROUGH}): the
     * message is PostgreSQL's own, the detail names the upstream.
     */
    Failed(String message, SqlState passedSqlState, String detail) {
      super(message, null, false, false);
      this.passedSqlState = passedSqlState;
      this.detail = detail;
    }

    /** The upstream's SQLSTATE when the client should see it as it is, else null. */
    public SqlState passedSqlState() {
      return passedSqlState;
    }

    /** Which upstream refused, for the ErrorResponse's detail; null when not passed through. */
    public String detail() {
      return detail;
    }
  }

  /**
   * Upstream refusals the client is told as PostgreSQL said them: "too many connections" and
   * "remaining connection slots are reserved" are the upstream's capacity, not a gateway failure,
   * and a client (or pooler) retries them as it would against PostgreSQL.
   */
  public static final Set<SqlState> PASSED_THROUGH = Set.of(SqlState.TOO_MANY_CONNECTIONS);

  private final UpstreamTarget target;
  private final Consumer<FrontendMessage> send;
  private final List<ParameterStatus> parameters = new ArrayList<>();
  private BackendKeyData key;
  private ScramClient scram;

  public UpstreamStartupFlow(UpstreamTarget target, Consumer<FrontendMessage> send) {
    this.target = target;
    this.send = send;
  }

  /** The startup message for {@code target} with the given run-time parameters. */
  public StartupMessage startupMessage(Map<String, String> runtimeParameters) {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("user", target.user());
    p.put("database", target.database());
    p.putAll(runtimeParameters);
    return new StartupMessage(FrontendMessage.PROTOCOL_3_0, p);
  }

  /**
   * Handles one server message; returns the result once ReadyForQuery arrived, else null.
   *
   * @throws Failed when the server refused us or spoke out of turn
   */
  public Ready onMessage(Frame frame) throws Failed {
    BackendMessage message = BackendMessage.decode(frame);
    switch (message) {
      case Authentication auth -> authenticate(auth);
      case ParameterStatus status -> parameters.add(status);
      case BackendKeyData data -> key = data;
      case ReadyForQuery ignored -> {
        return new Ready(List.copyOf(parameters), key);
      }
      case ErrorResponse error -> {
        SqlState passed = passedThrough(error.sqlState());
        if (passed != null) {
          throw new Failed(
              error.message(),
              passed,
              "the upstream database at "
                  + target.host()
                  + ":"
                  + target.port()
                  + " refused the gateway's connection as role `"
                  + target.user()
                  + "`");
        }
        throw new Failed("upstream refused role `" + target.user() + "`: " + error.message());
      }
      default -> {
        // NoticeResponse and NegotiateProtocolVersion during startup change nothing for us.
      }
    }
    return null;
  }

  private static SqlState passedThrough(String code) {
    for (SqlState state : PASSED_THROUGH) {
      if (state.code().equals(code)) {
        return state;
      }
    }
    return null;
  }

  private void authenticate(Authentication auth) throws Failed {
    try {
      switch (auth.code()) {
        case Authentication.OK -> {}
        case Authentication.CLEARTEXT_PASSWORD ->
            send.accept(new PasswordMessage(target.password()));
        case Authentication.MD5_PASSWORD -> send.accept(new PasswordMessage(md5(auth.data())));
        case Authentication.SASL -> {
          if (!auth.mechanisms().contains("SCRAM-SHA-256")) {
            throw new Failed("upstream offers no supported SASL mechanism: " + auth.mechanisms());
          }
          scram =
              ScramClient.builder()
                  .advertisedMechanisms(List.of("SCRAM-SHA-256"))
                  .username(target.user())
                  .password(target.password().toCharArray())
                  .build();
          send.accept(
              new SaslInitialResponse(
                  "SCRAM-SHA-256",
                  scram.clientFirstMessage().toString().getBytes(StandardCharsets.UTF_8)));
        }
        case Authentication.SASL_CONTINUE -> {
          requireScram();
          scram.serverFirstMessage(auth.saslMessage());
          send.accept(
              new SaslResponse(
                  scram.clientFinalMessage().toString().getBytes(StandardCharsets.UTF_8)));
        }
        case Authentication.SASL_FINAL -> {
          requireScram();
          // Verifies the server's signature: the upstream proves it knows the role's secret too.
          scram.serverFinalMessage(auth.saslMessage());
        }
        default -> throw new Failed("upstream asks for unsupported authentication " + auth.code());
      }
    } catch (Failed e) {
      throw e;
    } catch (Exception e) {
      throw new Failed("SCRAM authentication with the upstream failed: " + e.getMessage());
    }
  }

  private void requireScram() throws Failed {
    if (scram == null) {
      throw new Failed("upstream sent a SASL message before choosing a mechanism");
    }
  }

  private String md5(byte[] salt) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      String inner =
          HexFormat.of()
              .formatHex(
                  md.digest((target.password() + target.user()).getBytes(StandardCharsets.UTF_8)));
      md.reset();
      md.update(inner.getBytes(StandardCharsets.US_ASCII));
      md.update(salt);
      return "md5" + HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
