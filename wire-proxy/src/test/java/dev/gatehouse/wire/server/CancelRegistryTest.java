package dev.gatehouse.wire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.wire.protocol.ProtocolViolation;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issued keys: their lengths per protocol, and a cancel that must quote the whole secret. */
class CancelRegistryTest {

  private final CancelRegistry registry = new CancelRegistry();

  @Test
  void protocol30KeysHaveFourBytesAnd32KeysThirtyTwo() {
    assertThat(registry.issue(4).secret()).hasSize(4);
    assertThat(registry.issue(CancelRegistry.LONG_KEY_LENGTH).secret()).hasSize(32);
    assertThatThrownBy(() -> registry.issue(257)).isInstanceOf(ProtocolViolation.class);
  }

  @Test
  void processIdsAreUniqueAndPositive() {
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      int id = registry.issue(4).processId();
      assertThat(id).isPositive();
      assertThat(ids.add(id)).isTrue();
    }
  }

  @Test
  void onlyTheWholeSecretCancels() {
    CancelRegistry.Key key = registry.issue(CancelRegistry.LONG_KEY_LENGTH);
    AtomicInteger cancelled = new AtomicInteger();
    registry.register(key, cancelled::incrementAndGet);
    byte[] secret = key.secret();
    registry.cancel(key.processId(), Arrays.copyOf(secret, 4));
    byte[] flipped = secret.clone();
    flipped[31] ^= 1;
    registry.cancel(key.processId(), flipped);
    registry.cancel(key.processId() + 1, secret);
    assertThat(cancelled).hasValue(0);
    registry.cancel(key.processId(), secret);
    assertThat(cancelled).hasValue(1);
    registry.unregister(key);
    registry.cancel(key.processId(), secret);
    assertThat(cancelled).hasValue(1);
  }
}
