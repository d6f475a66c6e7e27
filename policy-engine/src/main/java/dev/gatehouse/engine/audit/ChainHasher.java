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
    Mac mac = key.newMac();
    // Length-prefixed fields, so no two different records share an input.
    field(mac, "record");
    field(mac, instanceId);
    field(mac, Long.toString(seq));
    field(mac, prevHash);
    field(mac, id);
    field(mac, kind);
    field(mac, Long.toString(atMicros));
    field(mac, body);
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
    int n = bytes.length;
    mac.update((byte) (n >>> 24));
    mac.update((byte) (n >>> 16));
    mac.update((byte) (n >>> 8));
    mac.update((byte) n);
    mac.update(bytes);
  }
}
