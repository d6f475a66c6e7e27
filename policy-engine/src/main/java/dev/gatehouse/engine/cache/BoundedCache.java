package dev.gatehouse.engine.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A map of at most {@code capacity} entries, the least recently used out first; safe to share
 * between threads (one lock, held only for the map's own work, never while a value is made).
 *
 * <p>The caches of the statement path (analyses, verdicts, record parts) keep values that are
 * exactly what a fresh computation would give, so losing one to the bound, or making one twice when
 * two threads miss at once, costs time and never changes a result.
 */
public final class BoundedCache<K, V> {

  private final Map<K, V> map;

  public BoundedCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a cache holds at least one entry, not " + capacity);
    }
    this.map =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The value kept for {@code key}, or null. */
  public V get(K key) {
    synchronized (map) {
      return map.get(key);
    }
  }

  /**
   * The value kept for {@code key}, or {@code make}'s, then kept. {@code make} runs outside the
   * lock and must not return null.
   */
  public V get(K key, Supplier<? extends V> make) {
    V v = get(key);
    if (v != null) {
      return v;
    }
    V made = make.get();
    put(key, made);
    return made;
  }

  /**
   * Whether a value is kept for {@code key}; unlike {@link #get}, leaves the order of use alone.
   */
  public boolean contains(K key) {
    synchronized (map) {
      return map.containsKey(key);
    }
  }

  public void put(K key, V value) {
    synchronized (map) {
      map.put(key, value);
    }
  }

  /** Keeps {@code value} unless a value is kept for {@code key}; the one kept before, or null. */
  public V putIfAbsent(K key, V value) {
    synchronized (map) {
      return map.putIfAbsent(key, value);
    }
  }

  public void remove(K key) {
    synchronized (map) {
      map.remove(key);
    }
  }

  public int size() {
    synchronized (map) {
      return map.size();
    }
  }
}
