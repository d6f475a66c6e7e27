package dev.gatehouse.engine.approval;

import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time-boxed windows: where configured, using an approval lets its requester run statements of the
 * same classes on the same database until the window closes.
 */
final class ApprovalWindows {

  private static final Logger log = LoggerFactory.getLogger(ApprovalWindows.class);

  private final ApprovalStore store;
  private final Duration length;
  private final Clock clock;

  ApprovalWindows(ApprovalStore store, Duration length, Clock clock) {
    this.store = store;
    this.length = length;
    this.clock = clock;
  }

  /** Opens the window of a request that was just used; a note for the audit trail, or null. */
  String openAfterUse(ApprovalRequest used, Instant now) {
    if (length.isZero()) {
      return null;
    }
    Instant closes = now.plus(length);
    try {
      return store.openWindow(used.id(), now, closes) ? "opened a window until " + closes : null;
    } catch (SQLException e) {
      // The approval was used as asked; only the convenience of a window is lost.
      log.warn("could not open the approval window of {}: {}", used.id(), e.getMessage());
      return null;
    }
  }

  /** The approval whose open window covers every class of {@code analysis}, if any. */
  Optional<UUID> covering(String issuer, String subject, String database, Analysis analysis) {
    List<String> classes = classes(analysis);
    if (length.isZero() || classes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return store.window(issuer, subject, database, classes, clock.instant());
    } catch (SQLException e) {
      // Fail closed: without the window the statement asks for approval again.
      log.warn("cannot look up approval windows: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** The classes a window may cover; never UNKNOWN, which policy always refuses. */
  static List<String> classes(Analysis analysis) {
    if (analysis == null) {
      return List.of();
    }
    return analysis.statements().stream()
        .map(StatementInfo::statementClass)
        .filter(c -> c != StatementClass.UNKNOWN)
        .map(Enum::name)
        .distinct()
        .sorted()
        .toList();
  }
}
