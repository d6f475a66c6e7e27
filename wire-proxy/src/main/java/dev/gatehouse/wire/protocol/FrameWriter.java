package dev.gatehouse.wire.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one side's outgoing messages, joining relayed frames that lie back to back in the same
 * read buffer into a single write: a result relayed unchanged (RowDescription, DataRows,
 * CommandComplete, ReadyForQuery) leaves as one buffer per read instead of one per message, which
 * saves a pipeline pass, an outbound entry and an iovec per message. Order is kept: every other
 * write, and every flush, first writes out the frames joined so far. Writes carry no promise (a
 * failed write closes the channel, and nobody waits on one).
 */
public final class FrameWriter {

  private final Channel channel;
  private final List<ByteBuf> joined = new ArrayList<>();
  private ByteBuf source;
  private int start;
  private int end;

  public FrameWriter(Channel channel) {
    this.channel = channel;
  }

  /** Writes {@code frame} (the writer takes its reference); joined with the last if adjacent. */
  public void write(Frame frame) {
    ByteBuf bytes = frame.bytes();
    // Only a frame whose bytes are untouched is known to span [offset, offset + length).
    if (frame.source() == null || bytes.readerIndex() != 0 || !channel.isActive()) {
      // Nothing to join (or nobody to write to: the channel releases what it cannot write).
      writeJoined();
      channel.write(bytes, channel.voidPromise());
      return;
    }
    if (frame.source() == source && frame.offset() == end) {
      joined.add(bytes);
      end += bytes.readableBytes();
      return;
    }
    writeJoined();
    source = frame.source();
    start = frame.offset();
    end = start + bytes.readableBytes();
    joined.add(bytes);
  }

  /** Writes bytes the gateway built, after everything written before. */
  public void write(ByteBuf bytes) {
    writeJoined();
    channel.write(bytes, channel.voidPromise());
  }

  public void flush() {
    writeJoined();
    channel.flush();
  }

  /** Writes and flushes {@code bytes} after everything written before; for a listener. */
  public ChannelFuture writeAndFlush(ByteBuf bytes) {
    writeJoined();
    return channel.writeAndFlush(bytes);
  }

  /** Drops the frames not yet handed to the channel (it is closing). */
  public void discard() {
    joined.forEach(ByteBuf::release);
    joined.clear();
    source = null;
  }

  /** Frames written but not yet handed to the channel (for tests). */
  int held() {
    return joined.size();
  }

  private void writeJoined() {
    if (joined.isEmpty()) {
      return;
    }
    ByteBuf out;
    if (joined.size() == 1) {
      out = joined.get(0);
    } else {
      // The frames are slices of source and hold it; one slice over all of them replaces them.
      out = source.retainedSlice(start, end - start);
      for (ByteBuf b : joined) {
        b.release();
      }
    }
    joined.clear();
    source = null;
    channel.write(out, channel.voidPromise());
  }
}
