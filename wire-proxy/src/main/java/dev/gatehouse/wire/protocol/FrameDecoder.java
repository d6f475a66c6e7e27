package dev.gatehouse.wire.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a byte stream into {@link Frame}s without copying: each frame is a retained slice of the
 * read buffer. Startup-phase messages carry no type byte; the front end switches to typed framing
 * once the startup message arrived. Frames longer than the configured maximum are a protocol
 * violation, detected from the length field before the body is buffered.
 *
 * <p>Before authentication the bounds are PostgreSQL's own: a startup packet carries at most
 * {@value #MAX_STARTUP_PACKET_LENGTH} bytes after its length word ({@code
 * MAX_STARTUP_PACKET_LENGTH} in the server's {@code pqcomm.h}), and a typed message (the password)
 * at most {@value #MAX_PRE_AUTH_MESSAGE} bytes ({@code PG_MAX_AUTH_TOKEN_LENGTH}), so a client that
 * never authenticates cannot make the gateway buffer more than that.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-overview.html">Messaging
 *     overview</a>
 */
public final class FrameDecoder extends ByteToMessageDecoder {

  /** PostgreSQL's bound on a startup packet's body. */
  public static final int MAX_STARTUP_PACKET_LENGTH = 10_000;

  /** PostgreSQL's bound on an authentication message before the client is authenticated. */
  public static final int MAX_PRE_AUTH_MESSAGE = 65_535;

  private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);

  private final int maxMessageSize;
  private boolean typed;
  private boolean authenticated;
  private boolean failed;

  /** A decoder whose bound is {@code maxMessageSize} from the start (upstream connections). */
  public FrameDecoder(int maxMessageSize, boolean typed) {
    this.maxMessageSize = maxMessageSize;
    this.typed = typed;
    this.authenticated = true;
    setCumulator(FrameDecoder::cumulate);
  }

  /**
   * A decoder for a client: PostgreSQL's pre-authentication bounds until {@link #authenticated}.
   */
  public static FrameDecoder forClient(int maxMessageSize) {
    FrameDecoder decoder = new FrameDecoder(maxMessageSize, false);
    decoder.authenticated = false;
    return decoder;
  }

  /** The client is authenticated: from now on only the configured maximum applies. */
  public void authenticated() {
    authenticated = true;
  }

  /**
   * Frames are retained slices of the read buffer, so a buffer that frames still share must never
   * grow in place: Netty's default cumulator would keep appending to it (its read bytes can be
   * discarded only once no frame shares it), and a long result would pile up in one buffer. Here a
   * shared buffer is left to its frames and the unread rest starts a new one.
   */
  private static ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
    if (!cumulation.isReadable()) {
      cumulation.release();
      return in;
    }
    if (cumulation.refCnt() == 1 && !cumulation.isReadOnly()) {
      // Nobody else holds it: reclaim the read bytes, then append (a large frame arriving).
      cumulation.discardReadBytes();
      cumulation.writeBytes(in);
      in.release();
      return cumulation;
    }
    ByteBuf next = alloc.buffer(cumulation.readableBytes() + in.readableBytes());
    next.writeBytes(cumulation).writeBytes(in);
    cumulation.release();
    in.release();
    return next;
  }

  /** From now on every frame starts with a type byte (after the startup message). */
  public void expectTyped() {
    typed = true;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      // The connection is being closed for a violation: whatever else arrives is dropped unread.
      in.skipBytes(in.readableBytes());
      return;
    }
    while (true) {
      int header = typed ? 5 : 4;
      if (in.readableBytes() < header) {
        return;
      }
      int start = in.readerIndex();
      byte type = typed ? in.getByte(start) : Frame.UNTYPED;
      int length = in.getInt(start + header - 4);
      if (length < 4) {
        throw refused(ctx, "invalid message length " + length);
      }
      if (!typed && (length - 4 < 4 || length - 4 > MAX_STARTUP_PACKET_LENGTH)) {
        throw refused(ctx, "invalid length of startup packet");
      }
      if (!authenticated && length > MAX_PRE_AUTH_MESSAGE) {
        throw refused(
            ctx,
            "message of "
                + length
                + " bytes before authentication exceeds the maximum of "
                + MAX_PRE_AUTH_MESSAGE
                + " bytes");
      }
      if (length > maxMessageSize) {
        throw refused(
            ctx,
            "message of "
                + length
                + " bytes exceeds the maximum of "
                + maxMessageSize
                + " bytes; send smaller messages or raise the limit");
      }
      int total = length + header - 4;
      if (in.readableBytes() < total) {
        return;
      }
      out.add(new Frame(type, in.readRetainedSlice(total), in, start));
      if (!typed) {
        // The startup phase has exactly one untyped message per round trip; the handler decides
        // what comes next (TLS, typed frames), so stop here and let it switch.
        return;
      }
    }
  }

  /** One WARN line per refused connection (never a stack trace), then the violation. */
  private ProtocolViolation refused(ChannelHandlerContext ctx, String message) {
    failed = true;
    log.warn("refused a malformed message from {}: {}", ctx.channel().remoteAddress(), message);
    return new ProtocolViolation(message);
  }
}
