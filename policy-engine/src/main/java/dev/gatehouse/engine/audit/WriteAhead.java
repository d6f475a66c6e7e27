package dev.gatehouse.engine.audit;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the control-database writer keeps of records it has taken and not committed: the spool file,
 * and, while the spool cannot be written (its disk full or read-only), up to {@code maxHeld}
 * records in memory, in order after what the spool holds. Held records go to the spool as soon as
 * it takes writes again, or to the control database as soon as it is back, whichever comes first;
 * either way after the spool's records and before anything newer, so the chain keeps their order.
 * Used by the writer thread only, except the counters.
 */
final class WriteAhead implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WriteAhead.class);

  /** As many as the local log keeps in memory when its disk refuses writes (ADR 0004, 14). */
  static final int MAX_HELD = 10_000;

  /** Commits one chunk of records, skipping those already stored; returns how many it stored. */
  interface Committer {
    int commit(List<AuditRecord> chunk) throws SQLException;
  }

  private final AuditSpool spool;
  private final boolean fsyncAlways;
  private final int maxHeld;
  private final ArrayDeque<AuditRecord> held = new ArrayDeque<>();
  // Spooled plus held: the real backlog, for the metrics.
  private final AtomicLong count = new AtomicLong();
  private volatile long oldestMicros;
  private volatile long bytes;
  private volatile boolean full;
  // Read by submitters: while it is set, only the writer knows whether a record can be kept.
  private volatile boolean spoolFailing;
  private long lost;

  WriteAhead(AuditSpool spool, boolean fsyncAlways, int maxHeld, int chunk) {
    this.spool = spool;
    this.fsyncAlways = fsyncAlways;
    this.maxHeld = maxHeld;
    try {
      spool.read(
          chunk,
          records -> {
            if (oldestMicros == 0 && !records.isEmpty()) {
              oldestMicros = ChainHasher.micros(records.getFirst().at());
            }
            count.addAndGet(records.size());
          });
      bytes = spool.size();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the audit spool", e);
    }
  }

  /** Nothing waits to be committed (the spool is empty and nothing is held). */
  boolean isEmpty() {
    return count.get() == 0;
  }

  /** Records spooled or held, the oldest one's time (micros, 0 for none), spool bytes. */
  long count() {
    return count.get();
  }

  long oldestMicros() {
    return oldestMicros;
  }

  long bytes() {
    return bytes;
  }

  /** True while memory holds {@code maxHeld} records: a further record cannot be kept. */
  boolean full() {
    return full;
  }

  /** True from a failed append to the spool until one succeeds: records may only be held. */
  boolean spoolFailing() {
    return spoolFailing;
  }

  /**
   * Appends {@code records} to the spool, after the records held in memory (written first, so the
   * order holds).
   *
   * @return true when they are on disk; false when the spool refused them (they are not kept: the
   *     caller commits them now or {@link #hold}s them)
   */
  boolean spool(List<AuditRecord> records) {
    try {
      if (!held.isEmpty()) {
        spool.append(new ArrayList<>(held));
        int moved = held.size();
        held.clear();
        full = false;
        log.info(
            "the audit spool can be written again: {} records held in memory moved to it", moved);
      }
      spool.append(records);
      if (fsyncAlways) {
        spool.force();
      }
      counted(records);
      bytes = spool.size();
      if (spoolFailing) {
        spoolFailing = false;
        log.info("the audit spool can be written again");
      }
      return true;
    } catch (IOException e) {
      // Once per state change: during a full disk every batch would fail the same way.
      if (!spoolFailing) {
        spoolFailing = true;
        log.warn("cannot append to the audit spool: {}", e.toString());
      }
      return false;
    }
  }

  /**
   * Keeps in memory records that neither the control database nor the spool took, up to the bound.
   *
   * @return how many of them did not fit (lost)
   */
  int hold(List<AuditRecord> records) {
    int kept = 0;
    for (AuditRecord r : records) {
      if (held.size() >= maxHeld) {
        break;
      }
      held.add(r);
      kept++;
    }
    int dropped = records.size() - kept;
    // Full before counted: whoever sees the count sees the bound reached.
    boolean filled = held.size() >= maxHeld && !full;
    if (filled) {
      full = true;
    }
    counted(records.subList(0, kept));
    if (filled) {
      log.error(
          "audit records cannot be kept: the control database and the audit spool cannot be"
              + " written and {} records are held in memory; every governed statement is refused,"
              + " on fail-open databases too, until one of them is back",
          held.size());
    }
    lost += dropped;
    return dropped;
  }

  /**
   * Commits the spool's records, then those held in memory, in order and in chunks, then empties
   * both. A record already stored (a commit whose acknowledgement was lost) is skipped by {@code
   * committer}.
   *
   * @return how many records were stored
   */
  int replay(int chunk, Committer committer) throws SQLException {
    SQLException[] failure = new SQLException[1];
    int[] stored = new int[1];
    try {
      spool.read(
          chunk,
          records -> {
            if (failure[0] != null) {
              return;
            }
            try {
              stored[0] += committer.commit(records);
            } catch (SQLException e) {
              failure[0] = e;
            }
          });
    } catch (IOException e) {
      throw new SQLException("cannot read the audit spool: " + e.getMessage(), e);
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    List<AuditRecord> inMemory = new ArrayList<>(held);
    for (int i = 0; i < inMemory.size(); i += chunk) {
      stored[0] += committer.commit(inMemory.subList(i, Math.min(inMemory.size(), i + chunk)));
    }
    clear();
    return stored[0];
  }

  /** Empties the spool and memory once everything in them is committed. */
  void clear() {
    held.clear();
    full = false;
    if (lost > 0) {
      log.error(
          "{} audit records were lost while the control database and the audit spool could not be"
              + " written and memory held {} records",
          lost,
          maxHeld);
      lost = 0;
    }
    try {
      spool.clear();
      count.set(0);
      oldestMicros = 0;
      bytes = 0;
    } catch (IOException e) {
      // Harmless: a replay skips records that are already committed.
      log.warn("cannot empty the audit spool", e);
    }
  }

  /** Forces the spool to disk, so its records survive a crash of the machine too. */
  void force() {
    try {
      spool.force();
    } catch (IOException e) {
      if (!spoolFailing) {
        log.warn("cannot force the audit spool to disk: {}", e.toString());
      }
    }
  }

  private void counted(List<AuditRecord> records) {
    if (oldestMicros == 0 && !records.isEmpty()) {
      oldestMicros = ChainHasher.micros(records.getFirst().at());
    }
    count.addAndGet(records.size());
  }

  static long ageMicros(long oldest) {
    return oldest == 0 ? 0 : Math.max(0, ChainHasher.micros(Instant.now()) - oldest);
  }

  @Override
  public void close() {
    if (!held.isEmpty()) {
      log.error(
          "{} audit records held in memory are lost: the gateway stops while neither the control"
              + " database nor the audit spool takes them",
          held.size());
    }
    force();
    spool.close();
  }
}
