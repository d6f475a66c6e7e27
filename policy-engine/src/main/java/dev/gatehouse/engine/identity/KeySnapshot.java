package dev.gatehouse.engine.identity;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An immutable key set of one issuer as fetched at one instant. */
record KeySnapshot(List<VerificationKey> keys, Instant fetchedAt) {

  KeySnapshot {
    keys = List.copyOf(keys);
  }

  static KeySnapshot of(JWKSet set, Instant fetchedAt) {
    List<VerificationKey> keys = new ArrayList<>();
    set.getKeys().forEach(jwk -> VerificationKey.of(jwk).ifPresent(keys::add));
    return new KeySnapshot(keys, fetchedAt);
  }

  List<VerificationKey> matching(JWSHeader header) {
    List<VerificationKey> result = new ArrayList<>(1);
    for (VerificationKey key : keys) {
      if (key.fits(header)) {
        result.add(key);
      }
    }
    return result;
  }

  boolean isEmpty() {
    return keys.isEmpty();
  }

  boolean olderThan(Duration maxAge, Instant now) {
    return now.isAfter(fetchedAt.plus(maxAge));
  }
}
