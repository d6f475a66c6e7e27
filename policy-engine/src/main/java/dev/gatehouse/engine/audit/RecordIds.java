package dev.gatehouse.engine.audit;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for audit records, as {@link UUID#randomUUID} makes them but from a
 * generator per thread: {@code randomUUID} shares one {@code NativePRNG}, whose reads of {@code
 * /dev/urandom} take a lock every front end's event loop met on every record (issue 15's profile of
 * the write path). Each thread's generator is a {@code DRBG} seeded from the system's entropy, as
 * strong as the shared one.
 */
final class RecordIds {

  private static final ThreadLocal<SecureRandom> RANDOM =
      ThreadLocal.withInitial(
          () -> {
            try {
              return SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
              return new SecureRandom();
            }
          });

  private RecordIds() {}

  static UUID next() {
    byte[] b = new byte[16];
    RANDOM.get().nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
    b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (b[i] & 0xff);
      lsb = (lsb << 8) | (b[i + 8] & 0xff);
    }
    return new UUID(msb, lsb);
  }
}
