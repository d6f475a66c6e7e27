package dev.gatehouse.wire.server;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.wire.flow.OAuthBearer;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.ProtocolViolation;
import dev.gatehouse.wire.protocol.Wire;
import dev.gatehouse.wire.protocol.backend.Authentication;
import dev.gatehouse.wire.protocol.frontend.SaslInitialResponse;
import dev.gatehouse.wire.protocol.frontend.SaslResponse;
import io.netty.buffer.ByteBuf;

/**
 * One client's OAUTHBEARER exchange, step by step as PostgreSQL 18 runs it: AuthenticationSASL
 * offering OAUTHBEARER; the client's initial response (or, without one, an empty challenge and the
 * response to it); a token is verified, an empty one asks for discovery; a refused token or a
 * discovery request gets the JSON error status in AuthenticationSASLContinue, the client answers
 * with a single {@code \x01}, and then the refusal (FATAL) or, for discovery, the connection closes
 * without one. The caller does the I/O and the verification.
 */
final class OAuthBearerExchange {

  /** What the client handler does next. */
  sealed interface Step {

    /** Send {@code message} and read the client's next message. */
    record Send(Authentication message) implements Step {}

    /** Verify the token (off the event loop); then {@link #refused} or the session starts. */
    record Verify(String token) implements Step {}

    /** End the connection with this FATAL error. */
    record Fail(SqlState state, String message) implements Step {}

    /** Close the connection without an error: discovery is over (PostgreSQL says nothing here). */
    record Close() implements Step {}
  }

  private enum State {
    INITIAL,
    AWAIT_RESPONSE,
    VERIFYING,
    AWAIT_KVSEP,
    DONE
  }

  private final OAuthBearerConfig config;
  private State state = State.INITIAL;
  private Step.Fail afterKvsep;

  OAuthBearerExchange(OAuthBearerConfig config) {
    this.config = config;
  }

  /** AuthenticationSASL offering the one mechanism. */
  static Authentication offer() {
    ByteBuf b = io.netty.buffer.Unpooled.buffer();
    Wire.writeCString(b, OAuthBearer.MECHANISM);
    b.writeByte(0);
    byte[] data = new byte[b.readableBytes()];
    b.readBytes(data);
    return new Authentication(Authentication.SASL, data);
  }

  /** The client's next {@code p} message. */
  Step onMessage(Frame frame) {
    return switch (state) {
      case INITIAL -> initial(frame);
      case AWAIT_RESPONSE -> clientResponse(response(frame));
      case AWAIT_KVSEP -> {
        state = State.DONE;
        if (!OAuthBearer.isKvsep(response(frame))) {
          throw new ProtocolViolation(
              "malformed OAUTHBEARER message: the client did not answer the error status with a"
                  + " key/value separator");
        }
        yield afterKvsep == null ? new Step.Close() : afterKvsep;
      }
      case VERIFYING, DONE ->
          throw new ProtocolViolation("message sent before authentication finished");
    };
  }

  /**
   * The token was refused: the error status goes out, and {@code state}/{@code message} once the
   * client has answered it.
   */
  Step refused(SqlState sqlState, String message) {
    if (state != State.VERIFYING) {
      throw new IllegalStateException("no token is being verified");
    }
    state = State.AWAIT_KVSEP;
    afterKvsep = new Step.Fail(sqlState, message);
    return new Step.Send(errorStatus());
  }

  private Step initial(Frame frame) {
    SaslInitialResponse initial;
    try {
      initial = SaslInitialResponse.decode(frame.body());
    } catch (ProtocolViolation e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ProtocolViolation("malformed SASL initial response");
    }
    if (!OAuthBearer.MECHANISM.equals(initial.mechanism())) {
      throw new ProtocolViolation(
          "client selected an invalid SASL authentication mechanism; the gateway offers "
              + OAuthBearer.MECHANISM);
    }
    if (initial.data() == null) {
      // No initial response: an empty challenge, answered with what it would have held.
      state = State.AWAIT_RESPONSE;
      return new Step.Send(new Authentication(Authentication.SASL_CONTINUE, new byte[0]));
    }
    return clientResponse(initial.data());
  }

  private Step clientResponse(byte[] message) {
    String token = OAuthBearer.token(message);
    if (token.isEmpty()) {
      // Discovery: the client learns the issuer and scope, fetches a token and connects again.
      state = State.AWAIT_KVSEP;
      afterKvsep = null;
      return new Step.Send(errorStatus());
    }
    state = State.VERIFYING;
    return new Step.Verify(token);
  }

  private Authentication errorStatus() {
    return new Authentication(
        Authentication.SASL_CONTINUE,
        OAuthBearer.errorStatus(config.discoveryUrl(), config.scope()));
  }

  private static byte[] response(Frame frame) {
    return SaslResponse.decode(frame.body()).data();
  }

  /** For logs: never the token. */
  @Override
  public String toString() {
    return "OAuthBearerExchange[" + state + "]";
  }
}
