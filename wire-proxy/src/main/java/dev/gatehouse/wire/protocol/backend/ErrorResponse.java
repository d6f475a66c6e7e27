package dev.gatehouse.wire.protocol.backend;

import dev.gatehouse.engine.admission.SqlState;
import io.netty.buffer.ByteBuf;
import java.util.Map;

/** ErrorResponse: severity, SQLSTATE, message and optional detail. */
public record ErrorResponse(Map<Character, String> fields) implements BackendMessage {

  public ErrorResponse {
    fields = Map.copyOf(fields);
  }

  /** An ERROR: the statement failed, the connection stays usable. */
  public static ErrorResponse error(SqlState state, String message, String detail) {
    return new ErrorResponse(Fields.of("ERROR", state.code(), message, detail));
  }

  /** A FATAL: the connection closes after it. */
  public static ErrorResponse fatal(SqlState state, String message) {
    return fatal(state, message, null);
  }

  /** A FATAL with a detail line. */
  public static ErrorResponse fatal(SqlState state, String message, String detail) {
    return new ErrorResponse(Fields.of("FATAL", state.code(), message, detail));
  }

  public String sqlState() {
    return fields.get('C');
  }

  public String message() {
    return fields.get('M');
  }

  @Override
  public void encode(ByteBuf out) {
    Fields.encode(out, 'E', fields);
  }
}
