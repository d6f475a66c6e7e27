package dev.gatehouse.mcp.exec;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.postgresql.util.PSQLException;

/**
 * No upstream connection within the pool's timeout: the upstream is full, hung or unreachable, or
 * every pooled connection of the role is busy. Nothing ran; the caller may try again later. The
 * message names the upstream and never the pool's internals.
 */
public final class UpstreamUnavailable extends SQLException {

  /** PostgreSQL's SQLSTATE when it refused for capacity, or the pool is exhausted. */
  static final String TOO_MANY_CONNECTIONS = "53300";

  /** The upstream could not be reached or did not answer (SQL client unable to connect). */
  static final String UNABLE_TO_CONNECT = "08001";

  private UpstreamUnavailable(String message, String sqlState, Throwable cause) {
    super(message, sqlState, cause);
  }

  /**
   * Explains a pool timeout: PostgreSQL's own refusal when it gave one (its 53300 text passes
   * through), else whether the pool was full or the upstream silent.
   */
  static UpstreamUnavailable of(
      String database,
      String role,
      String hostAndPort,
      Duration waited,
      boolean poolFull,
      int poolSize,
      SQLTransientConnectionException timeout) {
    Throwable last = timeout.getCause();
    String state;
    String why;
    if (last instanceof PSQLException p
        && p.getServerErrorMessage() != null
        && p.getServerErrorMessage().getSQLState() != null) {
      // PostgreSQL answered: its text is the truth (`sorry, too many clients already`, ...).
      state =
          p.getServerErrorMessage().getSQLState().startsWith("53")
              ? p.getServerErrorMessage().getSQLState()
              : UNABLE_TO_CONNECT;
      why = "PostgreSQL said: " + p.getServerErrorMessage().getMessage();
    } else if (last == null && poolFull) {
      state = TOO_MANY_CONNECTIONS;
      why = "all " + poolSize + " of the gateway's connections for this role are in use";
    } else {
      state = UNABLE_TO_CONNECT;
      why = "the upstream database at " + hostAndPort + " could not be reached or did not answer";
    }
    return new UpstreamUnavailable(
        "no connection to the upstream database `"
            + database
            + "` as role `"
            + role
            + "` within "
            + seconds(waited)
            + " ("
            + why
            + "); nothing ran, try again later",
        state,
        timeout);
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
