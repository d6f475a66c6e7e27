package dev.gatehouse.wire.server;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.FrameDecoder;
import dev.gatehouse.wire.protocol.ProtocolViolation;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.NegotiateProtocolVersion;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers the startup phase as PostgreSQL 18 does before the gateway's own handler sees it: a
 * second SSLRequest or GSSENCRequest is an unsupported protocol (FATAL 0A000); protocol 3.0 to 3.2
 * is taken as asked; a StartupMessage asking for a newer minor version than 3.2 or carrying {@code
 * _pq_.} options gets a NegotiateProtocolVersion (the version the session will speak, the options
 * it did not recognise) and goes on in that version without them. It also tells the {@link
 * FrameDecoder} when the client is authenticated (the AuthenticationOk going out), so that the
 * pre-authentication bounds end there.
 *
 * @see <a
 *     href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP">Start-up</a>
 */
public final class StartupGuard extends ChannelDuplexHandler {

  private static final String PROTOCOL_OPTION = "_pq_.";

  /** The newest protocol the gateway speaks: 3.2, PostgreSQL 18's (longer cancel keys). */
  private static final int NEWEST = FrontendMessage.PROTOCOL_3_2;

  private final FrameDecoder decoder;
  private boolean sslRequested;
  private boolean gssRequested;
  private boolean authenticated;

  public StartupGuard(FrameDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Frame frame) || frame.type() != Frame.UNTYPED) {
      ctx.fireChannelRead(msg);
      return;
    }
    ByteBuf body = frame.body();
    int code = body.readableBytes() >= 4 ? body.getInt(body.readerIndex()) : 0;
    switch (code) {
      case FrontendMessage.SSL_REQUEST_CODE -> {
        if (sslRequested) {
          refuse(ctx, frame, code);
          return;
        }
        sslRequested = true;
        ctx.fireChannelRead(frame);
      }
      case FrontendMessage.GSSENC_REQUEST_CODE -> {
        if (gssRequested) {
          refuse(ctx, frame, code);
          return;
        }
        gssRequested = true;
        ctx.fireChannelRead(frame);
      }
      case FrontendMessage.CANCEL_REQUEST_CODE, 0 -> ctx.fireChannelRead(frame);
      default -> startup(ctx, frame, code);
    }
  }

  private void startup(ChannelHandlerContext ctx, Frame frame, int version) {
    if (version >> 16 != 3) {
      refuse(ctx, frame, version);
      return;
    }
    StartupMessage message;
    try {
      message = (StartupMessage) FrontendMessage.decodeStartup(frame);
    } catch (ProtocolViolation e) {
      frame.release();
      fatal(ctx, SqlState.PROTOCOL_VIOLATION, e.getMessage());
      return;
    }
    List<String> unrecognized = new ArrayList<>();
    Map<String, String> kept = new LinkedHashMap<>();
    message
        .parameters()
        .forEach(
            (name, value) -> {
              if (name.startsWith(PROTOCOL_OPTION)) {
                unrecognized.add(name);
              } else {
                kept.put(name, value);
              }
            });
    if (version <= NEWEST && unrecognized.isEmpty()) {
      ctx.fireChannelRead(frame);
      return;
    }
    frame.release();
    int spoken = Math.min(version, NEWEST);
    ByteBuf answer = ctx.alloc().buffer();
    new NegotiateProtocolVersion(spoken, unrecognized).encode(answer);
    // No flush: the authentication request follows, as in PostgreSQL.
    ctx.write(answer);
    ByteBuf rewritten = ctx.alloc().buffer();
    new StartupMessage(spoken, kept).encode(rewritten);
    ctx.fireChannelRead(new Frame(Frame.UNTYPED, rewritten));
  }

  /** PostgreSQL's answer to a protocol it does not speak (a repeated request code included). */
  private static void refuse(ChannelHandlerContext ctx, Frame frame, int version) {
    frame.release();
    fatal(
        ctx,
        SqlState.FEATURE_NOT_SUPPORTED,
        "unsupported frontend protocol "
            + (version >>> 16)
            + "."
            + (version & 0xffff)
            + ": server supports 3.0 to 3.2");
  }

  private static void fatal(ChannelHandlerContext ctx, SqlState state, String message) {
    ByteBuf out = ctx.alloc().buffer();
    ErrorResponse.fatal(state, message).encode(out);
    ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!authenticated && msg instanceof ByteBuf b && isAuthenticationOk(b)) {
      authenticated = true;
      decoder.authenticated();
    }
    ctx.write(msg, promise);
  }

  /** AuthenticationOk: {@code R}, length 8, code 0 — sent exactly once, when the client is in. */
  private static boolean isAuthenticationOk(ByteBuf b) {
    int i = b.readerIndex();
    return b.readableBytes() >= 9
        && b.getByte(i) == 'R'
        && b.getInt(i + 1) == 8
        && b.getInt(i + 5) == 0;
  }
}
