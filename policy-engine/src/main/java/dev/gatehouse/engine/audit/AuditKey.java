package dev.gatehouse.engine.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret key of the audit hash chain. It comes from configuration or a file and is never stored
 * in the control database, so someone who can write the database cannot forge a chain.
 */
public final class AuditKey {

  private static final int MIN_BYTES = 32;
  private final byte[] key;

  // Every record's chain hash and every hashed parameter takes a MAC: making and keying one each
  // time cost more than the hashing (issue 15's profile). A MAC is reset before each use and
  // finished by its user before the thread asks for one again.
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::createMac);

  private AuditKey(byte[] key) {
    if (key.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "audit key must hold at least " + MIN_BYTES + " bytes, got " + key.length);
    }
    this.key = key.clone();
  }

  public static AuditKey of(byte[] key) {
    return new AuditKey(key);
  }

  /** A key written as base64 text (e.g. from an environment variable). */
  public static AuditKey fromBase64(String base64) {
    try {
      return new AuditKey(Base64.getDecoder().decode(base64.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("audit key is not valid base64: " + e.getMessage(), e);
    }
  }

  /** A key for another purpose, so that e.g. parameter hashes never reveal chain hashes. */
  public AuditKey derive(String purpose) {
    return new AuditKey(mac(purpose.getBytes(StandardCharsets.UTF_8)));
  }

  /** HMAC-SHA256 of {@code text} as lower-case hex. */
  public String hmacHex(String text) {
    return HexFormat.of().formatHex(mac(text.getBytes(StandardCharsets.UTF_8)));
  }

  byte[] mac(byte[] data) {
    Mac mac = newMac();
    return mac.doFinal(data);
  }

  /** This thread's MAC under this key, reset: the caller finishes it before asking again. */
  Mac newMac() {
    Mac mac = macs.get();
    mac.reset();
    return mac;
  }

  private Mac createMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuditKey other && java.security.MessageDigest.isEqual(key, other.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "AuditKey[redacted]";
  }
}
