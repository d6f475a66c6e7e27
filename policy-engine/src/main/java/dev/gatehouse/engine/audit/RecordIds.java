package dev.gatehouse.engine.audit;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for audit records, as {@link UUID#randomUUID} makes them but from a
 * generator per thread: {@code randomUUID} shares one {@code NativePRNG}, whose reads of {@code
 * /dev/urandom} take a lock every front end's event loop met on every record (issue 15's profile of
 * the write path). Each thread's generator is a {@code DRBG} seeded from the system's entropy, as
 * strong as the shared one, drawn 64 ids at a time.
 */
final class RecordIds {

  /** Random bytes for this many ids are drawn at a time: a DRBG call costs more than its bytes. */
  private static final int BATCH = 64;

  /** A thread's generator and the bytes it has drawn but not yet used. */
  private static final class Source {
    private final SecureRandom random;
    private final byte[] bytes = new byte[16 * BATCH];
    private int next = bytes.length;

    Source() {
      SecureRandom r;
      try {
        r = SecureRandom.getInstance("DRBG");
      } catch (NoSuchAlgorithmException e) {
        r = new SecureRandom();
      }
      this.random = r;
    }

    UUID next() {
      if (next == bytes.length) {
        random.nextBytes(bytes);
        next = 0;
      }
      long msb = 0;
      long lsb = 0;
      for (int i = 0; i < 8; i++) {
        msb = (msb << 8) | (bytes[next + i] & 0xff);
        lsb = (lsb << 8) | (bytes[next + 8 + i] & 0xff);
      }
      java.util.Arrays.fill(bytes, next, next + 16, (byte) 0); // used once, never kept
      next += 16;
      msb = (msb & ~0xf000L) | 0x4000L; // version 4
      lsb = (lsb & 0x3fffffffffffffffL) | 0x8000000000000000L; // IETF variant
      return new UUID(msb, lsb);
    }
  }

  private static final ThreadLocal<Source> SOURCE = ThreadLocal.withInitial(Source::new);

  private RecordIds() {}

  static UUID next() {
    return SOURCE.get().next();
  }
}
