package dev.gatehouse.wire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.wire.protocol.backend.CommandComplete;
import dev.gatehouse.wire.protocol.backend.DataRow;
import dev.gatehouse.wire.protocol.backend.NoticeResponse;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameWriterTest {

  /** A result as the upstream sends it: two rows, the tag and ReadyForQuery, in one read. */
  private static ByteBuf result() {
    ByteBuf buf = Unpooled.directBuffer();
    new DataRow(List.of(bytes("1"), bytes("a"))).encode(buf);
    new DataRow(List.of(bytes("2"), bytes("b"))).encode(buf);
    new CommandComplete("SELECT 2").encode(buf);
    new ReadyForQuery('I').encode(buf);
    return buf;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes {@code read} as one read of the upstream connection. */
  private static List<Frame> decode(ByteBuf read) {
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(1024, true));
    in.writeInbound(read);
    List<Frame> frames = new ArrayList<>();
    Frame f;
    while ((f = in.readInbound()) != null) {
      frames.add(f);
    }
    in.finishAndReleaseAll();
    return frames;
  }

  private static List<ByteBuf> written(EmbeddedChannel out) {
    List<ByteBuf> bufs = new ArrayList<>();
    ByteBuf b;
    while ((b = out.readOutbound()) != null) {
      bufs.add(b);
    }
    return bufs;
  }

  @Test
  void adjacentFramesLeaveAsOneByteIdenticalWrite() {
    ByteBuf read = result();
    byte[] original = ByteBufUtil.getBytes(read);
    List<Frame> frames = decode(read);
    assertThat(frames).hasSize(4);
    EmbeddedChannel out = new EmbeddedChannel();
    FrameWriter writer = new FrameWriter(out);
    frames.forEach(writer::write);
    assertThat(writer.held()).isEqualTo(4);
    writer.flush();
    assertThat(writer.held()).isZero();
    List<ByteBuf> bufs = written(out);
    assertThat(bufs).hasSize(1);
    assertThat(ByteBufUtil.getBytes(bufs.get(0))).isEqualTo(original);
    bufs.get(0).release();
    // Every frame's reference was given back: the read buffer is free.
    assertThat(read.refCnt()).isZero();
  }

  @Test
  void otherWritesKeepTheirPlaceBetweenJoinedFrames() {
    ByteBuf read = result();
    List<Frame> frames = decode(read);
    EmbeddedChannel out = new EmbeddedChannel();
    FrameWriter writer = new FrameWriter(out);
    writer.write(frames.get(0));
    writer.write(frames.get(1));
    ByteBuf notice = Unpooled.buffer();
    NoticeResponse.warning("result truncated", "rules: r").encode(notice);
    byte[] noticeBytes = ByteBufUtil.getBytes(notice);
    writer.write(notice);
    writer.write(frames.get(2));
    writer.write(frames.get(3));
    writer.flush();
    List<ByteBuf> bufs = written(out);
    assertThat(bufs).hasSize(3);
    ByteBuf rows = Unpooled.buffer();
    new DataRow(List.of(bytes("1"), bytes("a"))).encode(rows);
    new DataRow(List.of(bytes("2"), bytes("b"))).encode(rows);
    assertThat(ByteBufUtil.getBytes(bufs.get(0))).isEqualTo(ByteBufUtil.getBytes(rows));
    assertThat(ByteBufUtil.getBytes(bufs.get(1))).isEqualTo(noticeBytes);
    assertThat(ByteBufUtil.getBytes(bufs.get(2)).length)
        .isEqualTo(frames.get(2).bytes().capacity() + frames.get(3).bytes().capacity());
    bufs.forEach(ByteBuf::release);
    assertThat(read.refCnt()).isZero();
  }

  @Test
  void skippedFrameBreaksTheRun() {
    // A row dropped by the row limit leaves a gap: the frames on either side are not joined.
    ByteBuf read = result();
    List<Frame> frames = decode(read);
    EmbeddedChannel out = new EmbeddedChannel();
    FrameWriter writer = new FrameWriter(out);
    writer.write(frames.get(0));
    frames.get(1).release();
    writer.write(frames.get(2));
    writer.write(frames.get(3));
    writer.flush();
    List<ByteBuf> bufs = written(out);
    assertThat(bufs).hasSize(2);
    assertThat(bufs.get(0).readableBytes()).isEqualTo(frames.get(0).bytes().capacity());
    bufs.forEach(ByteBuf::release);
    assertThat(read.refCnt()).isZero();
  }

  @Test
  void framesOfDifferentReadsAreNotJoined() {
    ByteBuf first = result();
    ByteBuf second = result();
    List<Frame> a = decode(first);
    List<Frame> b = decode(second);
    EmbeddedChannel out = new EmbeddedChannel();
    FrameWriter writer = new FrameWriter(out);
    a.forEach(writer::write);
    b.forEach(writer::write);
    writer.flush();
    List<ByteBuf> bufs = written(out);
    assertThat(bufs).hasSize(2);
    bufs.forEach(ByteBuf::release);
    assertThat(first.refCnt()).isZero();
    assertThat(second.refCnt()).isZero();
  }

  @Test
  void builtFramesAndPartlyReadFramesAreWrittenAlone() {
    EmbeddedChannel out = new EmbeddedChannel();
    FrameWriter writer = new FrameWriter(out);
    ByteBuf built = Unpooled.buffer();
    new ReadyForQuery('I').encode(built);
    writer.write(new Frame((byte) 'Z', built));
    assertThat(writer.held()).isZero();
    List<Frame> frames = decode(result());
    frames.get(0).bytes().skipBytes(1); // read by someone: its bytes no longer span the frame
    writer.write(frames.get(0));
    assertThat(writer.held()).isZero();
    writer.flush();
    assertThat(written(out)).hasSize(2).allSatisfy(ByteBuf::release);
    frames.subList(1, 4).forEach(Frame::release);
  }

  @Test
  void discardReleasesHeldFramesAndAClosedChannelHoldsNothing() {
    ByteBuf read = result();
    List<Frame> frames = decode(read);
    EmbeddedChannel out = new EmbeddedChannel();
    FrameWriter writer = new FrameWriter(out);
    writer.write(frames.get(0));
    writer.write(frames.get(1));
    writer.discard();
    assertThat(writer.held()).isZero();
    out.close();
    writer.write(frames.get(2));
    writer.write(frames.get(3));
    assertThat(writer.held()).isZero();
    assertThat(read.refCnt()).isZero();
  }
}
