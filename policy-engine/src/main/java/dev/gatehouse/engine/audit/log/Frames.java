package dev.gatehouse.engine.audit.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The on-disk frame of one record: {@code length (4), crc32c (4), payload}. The payload holds seq,
 * id, kind, time, previous hash, hash and body; the CRC covers the payload, so a torn or damaged
 * frame is recognised.
 */
final class Frames {

  static final int HEADER = 8;

  /** No frame is larger: a length above it is damage, not a record. */
  static final int MAX_PAYLOAD = 64 * 1024 * 1024;

  private Frames() {}

  static byte[] encode(LogRecord r) {
    return encode(r, r.bodyUtf8());
  }

  /** With the body's UTF-8 bytes, already encoded by the caller. */
  static byte[] encode(LogRecord r, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(size(r, body));
    encode(b, r, body);
    return b.array();
  }

  /** The size of {@code r}'s frame, header included. */
  static int size(LogRecord r, byte[] body) {
    return HEADER + payload(r.kind().length(), body.length);
  }

  private static int payload(int kindLength, int bodyLength) {
    return 8 + 16 + 2 + kindLength + 8 + 32 + 32 + 4 + bodyLength;
  }

  /**
   * Puts {@code r}'s frame into {@code b} at its position, which it advances past the frame; {@code
   * b} must have {@link #size} bytes left. The kind is ASCII (a record kind's name).
   */
  static void encode(ByteBuffer b, LogRecord r, byte[] body) {
    String kind = r.kind();
    int payload = payload(kind.length(), body.length);
    int start = b.position();
    b.putInt(payload).putInt(0);
    b.putLong(r.seq());
    b.putLong(r.id().getMostSignificantBits()).putLong(r.id().getLeastSignificantBits());
    b.putShort((short) kind.length());
    for (int i = 0; i < kind.length(); i++) {
      char c = kind.charAt(i);
      if (c >= 0x80) {
        throw new IllegalArgumentException("a record kind is ASCII: " + kind);
      }
      b.put((byte) c);
    }
    b.putLong(r.atMicros());
    b.put(HexFormat.of().parseHex(r.prevHash())).put(HexFormat.of().parseHex(r.hash()));
    b.putInt(body.length).put(body);
    CRC32C crc = new CRC32C();
    crc.update(b.slice(start + HEADER, payload));
    b.putInt(start + 4, (int) crc.getValue());
  }

  /**
   * Decodes the frame at the buffer's position and advances past it; null (position unchanged) when
   * the rest is not one whole, intact frame.
   */
  static LogRecord decode(ByteBuffer b) {
    int start = b.position();
    if (b.remaining() < HEADER) {
      return null;
    }
    int payload = b.getInt(start);
    int crcStored = b.getInt(start + 4);
    if (payload < 8 + 16 + 2 + 8 + 64 + 4 || payload > MAX_PAYLOAD) {
      return null;
    }
    if (b.remaining() < HEADER + payload) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(b.slice(start + HEADER, payload));
    if ((int) crc.getValue() != crcStored) {
      return null;
    }
    try {
      return read(b, start, payload);
    } catch (RuntimeException e) {
      b.position(start); // a frame whose CRC matches but whose fields do not fit: damage
      return null;
    }
  }

  private static LogRecord read(ByteBuffer b, int start, int payload) {
    b.position(start + HEADER);
    long seq = b.getLong();
    UUID id = new UUID(b.getLong(), b.getLong());
    byte[] kind = new byte[b.getShort()];
    b.get(kind);
    long at = b.getLong();
    byte[] prev = new byte[32];
    byte[] hash = new byte[32];
    b.get(prev).get(hash);
    byte[] body = new byte[b.getInt()];
    b.get(body);
    if (b.position() != start + HEADER + payload) {
      b.position(start);
      return null;
    }
    return LogRecord.ofStored(
        seq,
        id,
        new String(kind, StandardCharsets.UTF_8),
        at,
        body,
        HexFormat.of().formatHex(prev),
        HexFormat.of().formatHex(hash));
  }
}
