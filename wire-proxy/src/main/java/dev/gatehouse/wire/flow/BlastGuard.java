package dev.gatehouse.wire.flow;

import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.backend.CommandComplete;
import java.util.ArrayList;
import java.util.List;

/**
 * The answers of a write run under a row bound, held back until the gateway knows how many rows it
 * changed: the CommandComplete tags of its writes are summed, rows of RETURNING kept (no more than
 * the bound plus one: past that the write is rolled back anyway), an error noted.
 */
final class BlastGuard {

  /** The answer type that ends what this guard collects: {@code Z} or {@code C}. */
  private final char last;

  private final long bound;
  final List<Frame> held = new ArrayList<>();
  long rows;
  long returned;
  boolean failed;

  /**
   * Set when the upstream skipped the guarded part unseen: an earlier message of the same pipeline
   * (a Bind with the wrong parameters) failed, and PostgreSQL discards everything up to the Sync.
   */
  boolean skipped;

  Frame ready;

  /** Set when a BEGIN of the gateway's own found a transaction in progress (SQLSTATE 25001). */
  boolean alreadyInTransaction;

  /**
   * Whether the rows of {@code SELECT}, {@code FETCH} and {@code MOVE} tags are counted: only when
   * the message holds a write whose tag is {@code SELECT} ({@code SELECT INTO}). Otherwise they are
   * rows read, and counting them told an approver of a one-row UPDATE beside a 300-row SELECT that
   * it "would update 301 rows" (red-team round 38).
   */
  private final boolean countReads;

  BlastGuard(char last, long bound) {
    this(last, bound, true);
  }

  BlastGuard(char last, long bound, boolean countReads) {
    this.last = last;
    this.bound = bound;
    this.countReads = countReads;
  }

  /** Takes one answer; true when the guarded part is complete. */
  boolean frame(char type, Frame frame) {
    switch (type) {
      case 'C' -> {
        if (countReads || !CommandComplete.countsReads(frame.body())) {
          rows += CommandComplete.rows(frame.body());
        }
      }
      case 'E' -> failed = true;
      case 'D' -> {
        if (++returned > bound + 1) {
          frame.release();
          return false;
        }
      }
      default -> {}
    }
    if (type == 'Z') {
      ready = frame;
    } else {
      held.add(frame);
    }
    return type == last || (last == 'C' && type == 'E');
  }

  /** A notice while this guard is at the head: the gateway's BEGIN warning is dropped. */
  void notice(Frame frame) {
    byte[] body = new byte[frame.body().readableBytes()];
    frame.body().getBytes(frame.body().readerIndex(), body);
    if (new String(body, java.nio.charset.StandardCharsets.UTF_8).contains("C25001")) {
      alreadyInTransaction = true;
      frame.release();
    } else {
      held.add(frame); // the write's own notices reach the client with its answers
    }
  }

  /** Gives back every held frame (the write was rolled back: nobody sees its answers). */
  void discard() {
    held.forEach(Frame::release);
    held.clear();
    if (ready != null) {
      ready.release();
      ready = null;
    }
  }
}
