package dev.gatehouse.wire.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a byte stream into {@link Frame}s without copying: each frame is a retained slice of the
 * read buffer. Startup-phase messages carry no type byte; the front end switches to typed framing
 * once the startup message arrived. Frames longer than the configured maximum are a protocol
 * violation, detected from the length field before the body is buffered.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-overview.html">Messaging
 *     overview</a>
 */
public final class FrameDecoder extends ByteToMessageDecoder {

  private final int maxMessageSize;
  private boolean typed;

  public FrameDecoder(int maxMessageSize, boolean typed) {
    this.maxMessageSize = maxMessageSize;
    this.typed = typed;
    setCumulator(FrameDecoder::cumulate);
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
    while (true) {
      int header = typed ? 5 : 4;
      if (in.readableBytes() < header) {
        return;
      }
      int start = in.readerIndex();
      byte type = typed ? in.getByte(start) : Frame.UNTYPED;
      int length = in.getInt(start + header - 4);
      if (length < 4) {
        throw new ProtocolViolation("invalid message length " + length);
      }
      if (length > maxMessageSize) {
        throw new ProtocolViolation(
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
}
