package dev.gatehouse.engine.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import javax.crypto.Mac;

/** The keyed hash chain: each record's HMAC covers its content and the previous record's hash. */
final class ChainHasher {

  /** The previous hash of the first record of every chain. */
  static final String GENESIS = "0".repeat(64);

  private ChainHasher() {}

  static String recordHash(
      AuditKey key, String instanceId, long seq, String prevHash, AuditRecord record) {
    return recordHash(
        key,
        instanceId,
        seq,
        prevHash,
        record.id().toString(),
        record.kind().name(),
        micros(record.at()),
        record.body());
  }

  static String recordHash(
      AuditKey key,
      String instanceId,
      long seq,
      String prevHash,
      String id,
      String kind,
      long atMicros,
      String body) {
    return recordHash(
        key, instanceId, seq, prevHash, id, kind, atMicros, body.getBytes(StandardCharsets.UTF_8));
  }

  /** The same hash, given the body's UTF-8 bytes (the local log encodes them once per record). */
  static String recordHash(
      AuditKey key,
      String instanceId,
      long seq,
      String prevHash,
      String id,
      String kind,
      long atMicros,
      byte[] body) {
    // Length-prefixed fields, so no two different records share an input. The fields before the
    // body go to the MAC in one update, the body in a second: a byte at a time, each field's prefix
    // cost more than the hashing itself (issue 15's profile of the event loops).
    Scratch in = Scratch.get();
    in.field("record");
    in.field(instanceId);
    in.field(Long.toString(seq));
    in.field(prevHash);
    in.field(id);
    in.field(kind);
    in.field(Long.toString(atMicros));
    in.length(body.length);
    Mac mac = key.newMac();
    mac.update(in.bytes, 0, in.size);
    mac.update(body);
    return HexFormat.of().formatHex(mac.doFinal());
  }

  /** The MAC of a chain's head row, so the newest records cannot be deleted unseen. */
  static String headMac(AuditKey key, String instanceId, long seq, String hash) {
    Mac mac = key.newMac();
    field(mac, "head");
    field(mac, instanceId);
    field(mac, Long.toString(seq));
    field(mac, hash);
    return HexFormat.of().formatHex(mac.doFinal());
  }

  /** The MAC of a chain's floor row: where the chain starts after retention dropped records. */
  static String floorMac(AuditKey key, String instanceId, long seq, String prevHash) {
    Mac mac = key.newMac();
    field(mac, "floor");
    field(mac, instanceId);
    field(mac, Long.toString(seq));
    field(mac, prevHash);
    return HexFormat.of().formatHex(mac.doFinal());
  }

  static long micros(Instant at) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, at);
  }

  static boolean sameHex(String a, String b) {
    return a != null
        && b != null
        && java.security.MessageDigest.isEqual(
            a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  private static void field(Mac mac, String value) {
    field(mac, value.getBytes(StandardCharsets.UTF_8));
  }

  private static void field(Mac mac, byte[] bytes) {
    Scratch in = Scratch.get();
    in.length(bytes.length);
    mac.update(in.bytes, 0, in.size);
    mac.update(bytes);
  }

  /** A thread's buffer for the length-prefixed fields of one MAC input. */
  private static final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);
    private byte[] bytes = new byte[256];
    private int size;

    /** This thread's buffer, emptied. */
    static Scratch get() {
      Scratch s = LOCAL.get();
      s.size = 0;
      return s;
    }

    void field(String value) {
      int n = value.length();
      for (int i = 0; i < n; i++) {
        if (value.charAt(i) >= 0x80) {
          byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
          length(utf8.length);
          room(utf8.length);
          System.arraycopy(utf8, 0, bytes, size, utf8.length);
          size += utf8.length;
          return;
        }
      }
      length(n);
      room(n);
      for (int i = 0; i < n; i++) {
        bytes[size++] = (byte) value.charAt(i);
      }
    }

    /** A field's four-byte, big-endian length prefix. */
    void length(int n) {
      room(4);
      bytes[size++] = (byte) (n >>> 24);
      bytes[size++] = (byte) (n >>> 16);
      bytes[size++] = (byte) (n >>> 8);
      bytes[size++] = (byte) n;
    }

    private void room(int more) {
      if (size + more > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }
  }
}
