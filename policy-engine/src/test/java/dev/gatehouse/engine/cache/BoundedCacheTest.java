package dev.gatehouse.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedCacheTest {

  @Test
  void theLeastRecentlyUsedEntryGoesFirst() {
    BoundedCache<String, Integer> cache = new BoundedCache<>(2);
    cache.put("a", 1);
    cache.put("b", 2);
    assertThat(cache.get("a")).isEqualTo(1); // "b" is now the least recently used
    cache.put("c", 3);
    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).isEqualTo(1);
    assertThat(cache.get("c")).isEqualTo(3);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void containsLeavesTheOrderOfUseAlone() {
    BoundedCache<String, Integer> cache = new BoundedCache<>(2);
    cache.put("a", 1);
    cache.put("b", 2);
    assertThat(cache.contains("a")).isTrue();
    cache.put("c", 3);
    assertThat(cache.contains("a")).isFalse();
    assertThat(cache.contains("b")).isTrue();
  }

  @Test
  void getMakesAMissingValueOnceAndKeepsIt() {
    BoundedCache<String, String> cache = new BoundedCache<>(4);
    AtomicInteger made = new AtomicInteger();
    assertThat(cache.get("k", () -> "v" + made.incrementAndGet())).isEqualTo("v1");
    assertThat(cache.get("k", () -> "v" + made.incrementAndGet())).isEqualTo("v1");
    assertThat(made).hasValue(1);
  }

  @Test
  void putIfAbsentKeepsTheFirstValue() {
    BoundedCache<String, Integer> cache = new BoundedCache<>(4);
    assertThat(cache.putIfAbsent("k", 1)).isNull();
    assertThat(cache.putIfAbsent("k", 2)).isEqualTo(1);
    assertThat(cache.get("k")).isEqualTo(1);
    cache.remove("k");
    assertThat(cache.contains("k")).isFalse();
  }

  @Test
  void aCacheHoldsAtLeastOneEntry() {
    assertThatThrownBy(() -> new BoundedCache<String, String>(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one entry");
  }

  @Test
  void sameComparesByIdentity() {
    String a = new String("x");
    String b = new String("x");
    assertThat(new Same(a)).isEqualTo(new Same(a)).isNotEqualTo(new Same(b));
    assertThat(new Same(a).hashCode()).isEqualTo(System.identityHashCode(a));
  }
}
