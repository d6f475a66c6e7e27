package dev.gatehouse.mcp.tools;

import dev.gatehouse.engine.masking.ErrorRedaction;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The one line of a failed statement's error that {@code sql_error} carries, redacted ({@link
 * ErrorRedaction}) from PostgreSQL's fields as the wire proxy redacts them: the routine, source
 * file and context say whether a function's body raised the text (whose SQLSTATE the function
 * chose), which the message alone cannot.
 */
final class SqlErrorText {

  private SqlErrorText() {}

  static String of(ErrorRedaction redaction, String state, SQLException e) {
    Map<Character, String> fields = fields(e);
    if (fields.get('M') == null) {
      return redaction.redactMessage(state, firstLine(e.getMessage()));
    }
    fields.put('C', state);
    String severity = fields.getOrDefault('S', "ERROR");
    return severity + ": " + firstLine(redaction.redact(fields).get('M'));
  }

  /**
   * PostgreSQL's fields of {@code e} that say where its text came from (message, context, routine,
   * file, severity); empty when the error did not come from the server.
   */
  static Map<Character, String> fields(SQLException e) {
    Map<Character, String> fields = new LinkedHashMap<>();
    ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
    if (server != null) {
      put(fields, 'S', server.getSeverity());
      put(fields, 'M', server.getMessage());
      put(fields, 'W', server.getWhere());
      put(fields, 'R', server.getRoutine());
      put(fields, 'F', server.getFile());
    }
    return fields;
  }

  private static void put(Map<Character, String> fields, char code, String value) {
    if (value != null) {
      fields.put(code, value);
    }
  }

  static String firstLine(String message) {
    if (message == null) {
      return "the statement failed";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
