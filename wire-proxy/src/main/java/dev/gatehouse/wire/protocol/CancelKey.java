package dev.gatehouse.wire.protocol;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The secret half of a cancel key: 4 bytes in protocol 3.0, 4 to 256 bytes from protocol 3.2 on
 * (PostgreSQL 18 issues 32).
 *
 * @see <a
 *     href="https://www.postgresql.org/docs/18/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS">Canceling
 *     requests in progress</a>
 */
public final class CancelKey {

  /** The shortest key a client may quote, and the only length protocol 3.0 knows. */
  public static final int MIN_LENGTH = 4;

  /** The longest key the protocol allows. */
  public static final int MAX_LENGTH = 256;

  private CancelKey() {}

  /** The secret of a protocol 3.0 key as its four bytes, big-endian as on the wire. */
  public static byte[] of(int secret) {
    return new byte[] {
      (byte) (secret >>> 24), (byte) (secret >>> 16), (byte) (secret >>> 8), (byte) secret
    };
  }

  /** Fails when a secret's length is outside what the protocol allows. */
  public static byte[] checked(byte[] secret, String message) {
    if (secret.length < MIN_LENGTH || secret.length > MAX_LENGTH) {
      throw new ProtocolViolation(
          "invalid length of "
              + message
              + ": a cancel key has "
              + MIN_LENGTH
              + " to "
              + MAX_LENGTH
              + " bytes, not "
              + secret.length);
    }
    return secret;
  }

  /** Compares in time independent of where the keys differ: the key is a secret. */
  public static boolean same(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  /** For messages and records' text: the key as hex. */
  public static String hex(byte[] secret) {
    return HexFormat.of().formatHex(secret);
  }
}
