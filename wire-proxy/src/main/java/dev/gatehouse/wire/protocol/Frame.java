package dev.gatehouse.wire.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One message as it arrived on the wire, kept as its original bytes so that frames policy does not
 * read are relayed without re-encoding.
 *
 * @param type the type byte, or {@link #UNTYPED} for the startup-phase messages that have none
 * @param bytes the whole frame (type byte, length and body); the frame owns one reference
 * @param source the read buffer {@code bytes} is a slice of, or null for a frame built here; lets a
 *     {@link FrameWriter} join frames that lie back to back in it
 * @param offset where {@code bytes} starts in {@code source}
 */
public record Frame(byte type, ByteBuf bytes, ByteBuf source, int offset)
    implements ReferenceCounted {

  /** The type of startup-phase messages (StartupMessage, SSLRequest, CancelRequest...). */
  public static final byte UNTYPED = 0;

  /** A frame of bytes the gateway built (not a slice of a read buffer). */
  public Frame(byte type, ByteBuf bytes) {
    this(type, bytes, null, -1);
  }

  /** The body: everything after the type byte and the length, as a slice sharing the bytes. */
  public ByteBuf body() {
    int header = type == UNTYPED ? 4 : 5;
    return bytes.slice(bytes.readerIndex() + header, bytes.readableBytes() - header);
  }

  public char typeChar() {
    return (char) type;
  }

  @Override
  public int refCnt() {
    return bytes.refCnt();
  }

  @Override
  public Frame retain() {
    bytes.retain();
    return this;
  }

  @Override
  public Frame retain(int increment) {
    bytes.retain(increment);
    return this;
  }

  @Override
  public Frame touch() {
    bytes.touch();
    return this;
  }

  @Override
  public Frame touch(Object hint) {
    bytes.touch(hint);
    return this;
  }

  @Override
  public boolean release() {
    return bytes.release();
  }

  @Override
  public boolean release(int decrement) {
    return bytes.release(decrement);
  }
}
