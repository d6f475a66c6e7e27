package dev.gatehouse.engine.audit.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * One record of the local audit log, as appended: its place in the chain is final. A record read
 * back from a segment keeps its body as the UTF-8 bytes stored there and makes the text of it only
 * when asked: the shipper copies the bytes into the control database without decoding and encoding
 * every body again (issue 15's profile of the shipper).
 */
public final class LogRecord {

  private final long seq;
  private final UUID id;
  private final String kind;
  private final long atMicros;
  private final String prevHash;
  private final String hash;
  private String body;
  private byte[] utf8;

  /**
   * @param atMicros the event time, microseconds since the epoch (what the chain hash covers)
   */
  public LogRecord(
      long seq, UUID id, String kind, long atMicros, String body, String prevHash, String hash) {
    this(seq, id, kind, atMicros, Objects.requireNonNull(body, "body"), null, prevHash, hash);
  }

  private LogRecord(
      long seq,
      UUID id,
      String kind,
      long atMicros,
      String body,
      byte[] utf8,
      String prevHash,
      String hash) {
    this.seq = seq;
    this.id = id;
    this.kind = kind;
    this.atMicros = atMicros;
    this.body = body;
    this.utf8 = utf8;
    this.prevHash = prevHash;
    this.hash = hash;
  }

  /** A record whose body is {@code utf8}, as a segment stores it (not copied: do not change it). */
  static LogRecord ofStored(
      long seq, UUID id, String kind, long atMicros, byte[] utf8, String prevHash, String hash) {
    return new LogRecord(seq, id, kind, atMicros, null, utf8, prevHash, hash);
  }

  public long seq() {
    return seq;
  }

  public UUID id() {
    return id;
  }

  public String kind() {
    return kind;
  }

  public long atMicros() {
    return atMicros;
  }

  public String body() {
    String b = body;
    if (b == null) {
      b = new String(utf8, StandardCharsets.UTF_8);
      body = b; // the same text whichever thread makes it
    }
    return b;
  }

  /** The body's UTF-8 bytes (shared, not copied: do not change them). */
  public byte[] bodyUtf8() {
    byte[] b = utf8;
    if (b == null) {
      b = body.getBytes(StandardCharsets.UTF_8);
      utf8 = b;
    }
    return b;
  }

  public String prevHash() {
    return prevHash;
  }

  public String hash() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogRecord r
        && seq == r.seq
        && atMicros == r.atMicros
        && Objects.equals(id, r.id)
        && Objects.equals(kind, r.kind)
        && Objects.equals(prevHash, r.prevHash)
        && Objects.equals(hash, r.hash)
        && Arrays.equals(bodyUtf8(), r.bodyUtf8());
  }

  @Override
  public int hashCode() {
    return Objects.hash(seq, id, kind, atMicros, hash);
  }

  @Override
  public String toString() {
    return "LogRecord[seq=" + seq + ", id=" + id + ", kind=" + kind + ", hash=" + hash + "]";
  }
}
