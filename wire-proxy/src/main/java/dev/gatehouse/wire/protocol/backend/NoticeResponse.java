package dev.gatehouse.wire.protocol.backend;

import io.netty.buffer.ByteBuf;
import java.util.Map;

/** NoticeResponse: a warning or notice that does not end the statement. */
public record NoticeResponse(Map<Character, String> fields) implements BackendMessage {

  public NoticeResponse {
    fields = Map.copyOf(fields);
  }

  /** A NOTICE with SQLSTATE 00000 (successful completion): information only. */
  public static NoticeResponse notice(String message, String detail) {
    return new NoticeResponse(Fields.of("NOTICE", "00000", message, detail));
  }

  /** A WARNING with SQLSTATE 01000. */
  public static NoticeResponse warning(String message, String detail) {
    return new NoticeResponse(Fields.of("WARNING", "01000", message, detail));
  }

  public String message() {
    return fields.get('M');
  }

  @Override
  public void encode(ByteBuf out) {
    Fields.encode(out, 'N', fields);
  }
}
