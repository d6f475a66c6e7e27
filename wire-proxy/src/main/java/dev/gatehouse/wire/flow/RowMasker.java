package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.masking.MaskPlan;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Rewrites one DataRow through a mask plan, copying only the cells the plan inspects. */
final class RowMasker {

  private RowMasker() {}

  static ByteBuf mask(ByteBufAllocator alloc, Frame frame, MaskPlan plan) {
    ByteBuf in = frame.body();
    int count = in.readUnsignedShort();
    ByteBuf out = alloc.buffer(frame.bytes().readableBytes() + 64);
    out.writeByte('D');
    int lengthAt = out.writerIndex();
    out.writeInt(0);
    out.writeShort(count);
    for (int i = 0; i < count; i++) {
      int length = in.readInt();
      if (!plan.inspects(i)) {
        out.writeInt(length);
        if (length > 0) {
          out.writeBytes(in, length);
        }
        continue;
      }
      byte[] value = null;
      if (length >= 0) {
        value = new byte[length];
        in.readBytes(value);
      }
      Wire.writeValue(out, plan.apply(i, value));
    }
    out.setInt(lengthAt, out.writerIndex() - lengthAt);
    return out;
  }
}
