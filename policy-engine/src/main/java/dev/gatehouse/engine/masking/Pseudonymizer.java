package dev.gatehouse.engine.masking;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms: HMAC-SHA256 of the value under a key from configuration. Equal values give
 * equal pseudonyms (joins and counts still work); without the key they cannot be reversed or
 * recomputed from guesses. Not thread-safe: one per result.
 */
final class Pseudonymizer {

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private final Mac mac;

  Pseudonymizer(byte[] key) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  private Pseudonymizer(Mac mac) {
    this.mac = mac;
  }

  /** A copy for another result (a {@link Mac} is not thread-safe). */
  Pseudonymizer copy() {
    try {
      return new Pseudonymizer((Mac) mac.clone());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("HMAC-SHA256 cannot be cloned", e);
    }
  }

  byte[] digest(byte[] canonical) {
    return mac.doFinal(canonical);
  }

  /** A text token: {@code pn_} and 24 hex digits of the HMAC. */
  String token(byte[] canonical) {
    byte[] d = digest(canonical);
    char[] out = new char[3 + 24];
    out[0] = 'p';
    out[1] = 'n';
    out[2] = '_';
    for (int i = 0; i < 12; i++) {
      out[3 + 2 * i] = HEX[(d[i] >> 4) & 0xf];
      out[4 + 2 * i] = HEX[d[i] & 0xf];
    }
    return new String(out);
  }

  /** A non-negative number below {@code bound} derived from the HMAC. */
  long number(byte[] canonical, long bound) {
    byte[] d = digest(canonical);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (d[i] & 0xff);
    }
    return Long.remainderUnsigned(v, bound);
  }

  static void checkKey(byte[] key) throws GeneralSecurityException {
    if (key == null || key.length < 16) {
      throw new GeneralSecurityException("the pseudonym key must be at least 16 bytes");
    }
  }
}
