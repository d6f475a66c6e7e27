package dev.gatehouse.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the bench JVM's log threshold to WARN: logback's default (DEBUG to the console) would log
 * every MCP message and HTTP exchange of the client, and time that instead of the servers.
 */
final class QuietLogs {

  private QuietLogs() {}

  static void apply() {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.WARN);
    }
  }
}
