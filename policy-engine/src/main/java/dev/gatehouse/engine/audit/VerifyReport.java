package dev.gatehouse.engine.audit;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The result of walking every chain of the audit trail.
 *
 * @param records records checked
 * @param chains one entry per gateway instance that ever wrote
 */
public record VerifyReport(long records, List<Chain> chains) {

  public VerifyReport {
    chains = List.copyOf(chains);
  }

  /** True when no chain has a problem. */
  public boolean ok() {
    return chains.stream().allMatch(c -> c.firstProblem() == null);
  }

  /** The first problem of each broken chain. */
  public List<Problem> problems() {
    return chains.stream().map(Chain::firstProblem).filter(Objects::nonNull).toList();
  }

  /**
   * One instance's chain.
   *
   * @param lastSeq the highest sequence number present
   * @param firstProblem the first record found changed, deleted or inserted, or null
   */
  public record Chain(String instanceId, long records, long lastSeq, Problem firstProblem) {}

  /**
   * A record that was changed, deleted or inserted.
   *
   * @param seq the sequence number of the record (for a deletion: the first one missing)
   * @param recordId the record found at that place, or null when none is there
   */
  public record Problem(String instanceId, long seq, UUID recordId, Type type, String message) {}

  /**
   * A chain head published outside the database (the writer logs one a minute): the record at
   * {@code seq} of chain {@code instanceId} must exist with exactly this hash.
   */
  public record Anchor(String instanceId, long seq, String hash) {}

  /** What was done to the chain. */
  public enum Type {
    CHANGED,
    DELETED,
    INSERTED
  }
}
