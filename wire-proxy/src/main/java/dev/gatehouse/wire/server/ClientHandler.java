package dev.gatehouse.wire.server;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.identity.AuthenticationException;
import dev.gatehouse.engine.quota.QuotaExceeded;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.wire.flow.AuthChoice;
import dev.gatehouse.wire.flow.Session;
import dev.gatehouse.wire.flow.SessionInfo;
import dev.gatehouse.wire.flow.StartupFlow;
import dev.gatehouse.wire.flow.StartupRefused;
import dev.gatehouse.wire.protocol.CancelKey;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.FrameDecoder;
import dev.gatehouse.wire.protocol.ProtocolViolation;
import dev.gatehouse.wire.protocol.backend.Authentication;
import dev.gatehouse.wire.protocol.backend.BackendKeyData;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.ParameterStatus;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import dev.gatehouse.wire.protocol.frontend.CancelRequest;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.GssEncRequest;
import dev.gatehouse.wire.protocol.frontend.PasswordMessage;
import dev.gatehouse.wire.protocol.frontend.SslRequest;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import dev.gatehouse.wire.upstream.UpstreamConnection;
import dev.gatehouse.wire.upstream.UpstreamQuota;
import dev.gatehouse.wire.upstream.UpstreamStartupFlow;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One client connection: startup and authentication, then the {@link Session} relays. */
final class ClientHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

  private final Gate gate;
  private final WireProxyConfig config;
  private final SslContext ssl;
  private final CancelRegistry cancels;
  private final Executor blocking;
  private final ConnectionSlots slots;
  private final Quotas quotas;
  private final FrameDecoder decoder;
  private Quotas.Permit sessionPermit = Quotas.Permit.NONE;
  private StartupFlow startup;
  private boolean authenticating;

  /** The OAUTHBEARER exchange, or null when the token comes as the password. */
  private OAuthBearerExchange oauth;

  /** Authenticated and connecting upstream: bounded by the upstream timeout, not the startup's. */
  private boolean connectingUpstream;

  private Session session;
  private CancelRegistry.Key key;

  ClientHandler(
      Gate gate,
      WireProxyConfig config,
      SslContext ssl,
      CancelRegistry cancels,
      Executor blocking,
      ConnectionSlots slots,
      Quotas quotas,
      FrameDecoder decoder) {
    this.gate = gate;
    this.config = config;
    this.ssl = ssl;
    this.cancels = cancels;
    this.blocking = blocking;
    this.slots = slots;
    this.quotas = quotas;
    this.decoder = decoder;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ConnectionSlots.Refusal refused = slots.accepted(ctx.channel());
    if (refused != null) {
      // Refused at once, as PostgreSQL's postmaster does when it cannot start a backend.
      fatal(ctx, SqlState.TOO_MANY_CONNECTIONS, refused.message);
      return;
    }
    startup = new StartupFlow(gate, config.clock(), address(ctx));
    // A client that never finishes startup must not hold a connection slot for ever.
    ctx.executor()
        .schedule(
            () -> {
              if (session == null && !connectingUpstream && ctx.channel().isActive()) {
                fatal(
                    ctx,
                    SqlState.PROTOCOL_VIOLATION,
                    "startup did not finish within "
                        + config.startupTimeout().toSeconds()
                        + " seconds");
              }
            },
            config.startupTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Frame frame = (Frame) msg;
    if (session != null) {
      session.clientFrame(frame);
      return;
    }
    try {
      if (frame.type() == Frame.UNTYPED) {
        startupPacket(ctx, FrontendMessage.decodeStartup(frame));
      } else if (authenticating) {
        throw new ProtocolViolation("message sent before authentication finished");
      } else if (oauth != null) {
        oauthBearer(ctx, frame);
      } else {
        password(ctx, frame);
      }
    } catch (ProtocolViolation e) {
      fatal(ctx, SqlState.PROTOCOL_VIOLATION, e.getMessage());
    } catch (StartupRefused e) {
      fatal(ctx, e.sqlState(), e.getMessage());
    } finally {
      frame.release();
    }
  }

  /** SSLRequest, GSSENCRequest, CancelRequest or StartupMessage. */
  private void startupPacket(ChannelHandlerContext ctx, FrontendMessage message) {
    switch (message) {
      case SslRequest r -> {
        boolean tls = ssl != null && ctx.pipeline().get(SslHandler.class) == null;
        ByteBuf answer = ctx.alloc().buffer(1).writeByte(tls ? 'S' : 'N');
        ctx.writeAndFlush(answer)
            .addListener(
                f -> {
                  // The answer goes out in clear; everything after it is TLS.
                  if (tls) {
                    ctx.pipeline().addFirst(ssl.newHandler(ctx.alloc()));
                  }
                  ctx.read();
                });
      }
      case GssEncRequest r -> {
        ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('N'));
        ctx.read();
      }
      case CancelRequest c -> {
        cancels.cancel(c.processId(), c.secretKey());
        ctx.close();
      }
      case StartupMessage m -> startupMessage(ctx, m);
      default -> throw new ProtocolViolation("unexpected startup packet");
    }
  }

  private void startupMessage(ChannelHandlerContext ctx, StartupMessage message) {
    startup.startup(message);
    // The token is a bearer credential: it must not cross the network in clear.
    boolean tls = ctx.pipeline().get(SslHandler.class) != null;
    if (!tls && !(config.plaintextPasswordOnLoopback() && loopback(ctx))) {
      fatal(
          ctx,
          SqlState.INVALID_AUTHORIZATION,
          "the gateway accepts the token only over TLS; connect with sslmode=require or"
              + " verify-full");
      return;
    }
    decoder.expectTyped();
    send(ctx, askForToken(message));
    slots.askedForToken(ctx.channel());
    ctx.flush();
    ctx.read();
  }

  /**
   * AuthenticationCleartextPassword, or AuthenticationSASL offering OAUTHBEARER when it is
   * configured and the client asked for it (or did not ask for the password and it is the default):
   * a client that only sends passwords fails on a SASL request, so one request per client.
   */
  private Authentication askForToken(StartupMessage message) {
    AuthChoice.Method asked = AuthChoice.requested(message);
    OAuthBearerConfig bearer = config.oauthBearer();
    if (asked == AuthChoice.Method.OAUTHBEARER && bearer == null) {
      throw new StartupRefused(
          SqlState.INVALID_AUTHORIZATION,
          "the gateway does not offer OAUTHBEARER here (wire `oauthBearer` is not configured);"
              + " send the token as the password");
    }
    if (bearer != null
        && (asked == AuthChoice.Method.OAUTHBEARER || (asked == null && bearer.byDefault()))) {
      oauth = new OAuthBearerExchange(bearer);
      return OAuthBearerExchange.offer();
    }
    return Authentication.cleartextPassword();
  }

  /** A step of the OAUTHBEARER exchange: a SASL message from the client. */
  private void oauthBearer(ChannelHandlerContext ctx, Frame frame) {
    if (frame.type() != 'p') {
      throw new ProtocolViolation("expected a SASL response during authentication");
    }
    step(ctx, oauth.onMessage(frame));
  }

  private void step(ChannelHandlerContext ctx, OAuthBearerExchange.Step step) {
    switch (step) {
      case OAuthBearerExchange.Step.Send(Authentication message) -> {
        send(ctx, message);
        ctx.flush();
        ctx.read();
      }
      case OAuthBearerExchange.Step.Verify(String token) -> verify(ctx, token);
      case OAuthBearerExchange.Step.Fail(SqlState state, String message) ->
          fatal(ctx, state, message);
      // Discovery is over: PostgreSQL closes without an error, the client connects again.
      case OAuthBearerExchange.Step.Close close -> ctx.close();
    }
  }

  /** The password is the OIDC token. */
  private void password(ChannelHandlerContext ctx, Frame frame) {
    if (!(FrontendMessage.decode(frame) instanceof PasswordMessage(String token))) {
      throw new ProtocolViolation("expected a password message carrying the token");
    }
    verify(ctx, token);
  }

  /** Verifies the token and takes the probe decision off the loop. */
  private void verify(ChannelHandlerContext ctx, String token) {
    authenticating = true;
    slots.authenticating(ctx.channel());
    CompletableFuture.supplyAsync(
            () -> {
              try {
                return startup.authenticate(token);
              } catch (AuthenticationException e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            },
            blocking)
        .whenCompleteAsync(
            (authenticated, error) -> {
              if (error != null) {
                refused(ctx, error.getCause() != null ? error.getCause() : error);
              } else {
                connectUpstream(ctx, authenticated);
              }
            },
            ctx.executor());
  }

  private void refused(ChannelHandlerContext ctx, Throwable error) {
    if (oauth != null && error instanceof AuthenticationException e && ctx.channel().isActive()) {
      // OAUTHBEARER: the error status first; the refusal once the client has answered it.
      authenticating = false;
      step(ctx, oauth.refused(StartupFlow.refusal(e), e.getMessage()));
      return;
    }
    switch (error) {
      case AuthenticationException e -> fatal(ctx, StartupFlow.refusal(e), e.getMessage());
      case ProtocolViolation e -> fatal(ctx, SqlState.PROTOCOL_VIOLATION, e.getMessage());
      default -> {
        log.warn("authentication failed internally", error);
        fatal(ctx, SqlState.INTERNAL_ERROR, "the gateway could not check the token; try again");
      }
    }
  }

  /**
   * Connects upstream as the role the principal's grants name (if any), then makes the client
   * ready: the upstream's ParameterStatus, the gateway's own BackendKeyData, ReadyForQuery.
   */
  private void connectUpstream(ChannelHandlerContext ctx, StartupFlow.Authenticated auth) {
    if (!ctx.channel().isActive()) {
      return;
    }
    // Authenticated: out of the startup reserve, into a session slot and the principal's quota.
    if (!slots.authenticated(ctx.channel())) {
      fatal(ctx, SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients already");
      return;
    }
    try {
      sessionPermit = quotas.wireSession(auth.principal());
    } catch (QuotaExceeded e) {
      fatal(ctx, e.sqlState(), e.getMessage());
      return;
    }
    UpstreamQuota.bind(ctx.channel(), quotas, auth.principal());
    // Protocol 3.2 clients read keys of any length (PostgreSQL 18 issues 32 bytes); 3.0 clients
    // only four.
    key =
        cancels.issue(
            auth.startup().protocolVersion() >= FrontendMessage.PROTOCOL_3_2
                ? CancelRegistry.LONG_KEY_LENGTH
                : CancelKey.MIN_LENGTH);
    SessionInfo info =
        new SessionInfo(
            UUID.randomUUID().toString(),
            auth.principal(),
            auth.startup().database(),
            auth.startup().parameters().get("application_name"),
            address(ctx),
            auth.passed(),
            key.processId(),
            key.secret());
    Session created =
        new Session(gate, info, ctx.channel(), config.clock(), config.approvalWait(), blocking);
    String role = StartupFlow.startupRole(auth.probe());
    if (role == null) {
      // Nothing is allowed yet: no upstream until a decision names a role.
      ready(ctx, created, null, UpstreamDefaults.parameters(info));
      return;
    }
    CompletableFuture<UpstreamConnection> connecting;
    try {
      // The session listens to its upstream from the start; it ignores it until it is started.
      connecting =
          UpstreamConnection.open(
              ctx.channel(),
              gate.upstream(info.database(), role),
              role,
              UpstreamDefaults.runtime(info, auth.probe()),
              created);
    } catch (RuntimeException e) {
      fatal(
          ctx,
          SqlState.INTERNAL_ERROR,
          "no upstream for database `" + info.database() + "`: " + e.getMessage());
      return;
    }
    connectingUpstream = true;
    connecting.whenCompleteAsync(
        (upstream, error) -> {
          connectingUpstream = false;
          if (error != null) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            if (cause instanceof QuotaExceeded e) {
              fatal(ctx, e.sqlState(), e.getMessage());
              return;
            }
            upstreamRefused(ctx, error);
            return;
          }
          ready(ctx, created, upstream, upstream.parameters());
        },
        ctx.executor());
  }

  /**
   * The upstream's own "too many connections" reaches the client as PostgreSQL said it (53300), so
   * a client or pooler backs off as it would; anything else is the gateway's failure to connect.
   */
  private static void upstreamRefused(ChannelHandlerContext ctx, Throwable error) {
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause()
            : error;
    if (cause instanceof UpstreamStartupFlow.Failed failed && failed.passedSqlState() != null) {
      ByteBuf out = ctx.alloc().buffer();
      ErrorResponse.fatal(failed.passedSqlState(), failed.getMessage(), failed.detail())
          .encode(out);
      ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    fatal(
        ctx,
        SqlState.INTERNAL_ERROR,
        "cannot connect to the upstream database: " + cause.getMessage());
  }

  private void ready(
      ChannelHandlerContext ctx,
      Session created,
      UpstreamConnection upstream,
      List<ParameterStatus> parameters) {
    if (!ctx.channel().isActive()) {
      if (upstream != null) {
        upstream.close();
      }
      return;
    }
    SessionInfo info = created.info();
    send(ctx, Authentication.ok());
    parameters.forEach(p -> send(ctx, p));
    send(ctx, new BackendKeyData(info.processId(), info.secretKey()));
    send(ctx, new ReadyForQuery(ReadyForQuery.IDLE));
    ctx.flush();
    session = created;
    cancels.register(key, session);
    session.start(upstream);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (session != null) {
      session.clientReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (session != null) {
      session.clientWritabilityChanged();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent && session != null && !session.busy()) {
      session.fatal(
          SqlState.IDLE_SESSION_TIMEOUT,
          "terminating connection due to idle timeout; reconnect to continue");
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    sessionPermit.close();
    if (key != null) {
      cancels.unregister(key);
    }
    if (session != null) {
      session.clientClosed();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof ProtocolViolation violation) {
      if (session != null) {
        session.fatal(SqlState.PROTOCOL_VIOLATION, violation.getMessage());
      } else {
        fatal(ctx, SqlState.PROTOCOL_VIOLATION, violation.getMessage());
      }
      return;
    }
    log.debug("client connection failed", cause);
    ctx.close();
  }

  private static void send(ChannelHandlerContext ctx, BackendMessage message) {
    ByteBuf out = ctx.alloc().buffer();
    message.encode(out);
    ctx.write(out);
  }

  private static void fatal(ChannelHandlerContext ctx, SqlState state, String message) {
    ByteBuf out = ctx.alloc().buffer();
    ErrorResponse.fatal(state, message).encode(out);
    ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
  }

  private static String address(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a
        ? a.getAddress().getHostAddress()
        : String.valueOf(ctx.channel().remoteAddress());
  }

  private static boolean loopback(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a
        && a.getAddress().isLoopbackAddress();
  }
}
