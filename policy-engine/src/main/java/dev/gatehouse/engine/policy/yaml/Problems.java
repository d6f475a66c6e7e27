package dev.gatehouse.engine.policy.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The problems found so far in one file: readers record one and go on to the next field, rule or
 * section, so a single run reports every problem (`config validate`), not only the first.
 */
public final class Problems {

  private final List<PolicyException> found = new ArrayList<>();

  /** Records {@code problem} once (the same line and text twice is one problem). */
  public void add(PolicyException problem) {
    if (found.stream().noneMatch(p -> p.getMessage().equals(problem.getMessage()))) {
      found.add(problem);
    }
  }

  /**
   * Reads one part of the file; when it fails, records why and returns {@code fallback}, so the
   * reader goes on. A failure other than a problem of the file is a consequence of an earlier
   * problem (a stand-in value) when some are recorded, and a bug otherwise.
   */
  public <T> T attempt(Supplier<T> part, T fallback) {
    try {
      return part.get();
    } catch (PolicyException e) {
      e.problems().forEach(this::add);
      return fallback;
    } catch (RuntimeException e) {
      if (found.isEmpty()) {
        throw e;
      }
      return fallback;
    }
  }

  /** As {@link #attempt(Supplier, Object)} for a part that returns nothing. */
  public void attempt(Runnable part) {
    attempt(
        () -> {
          part.run();
          return null;
        },
        null);
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  /** Throws every problem recorded, as one exception whose message is the first. */
  public void throwIfAny() {
    if (!found.isEmpty()) {
      throw PolicyException.all(found);
    }
  }
}
