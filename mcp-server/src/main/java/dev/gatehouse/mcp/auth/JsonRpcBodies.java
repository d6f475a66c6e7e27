package dev.gatehouse.mcp.auth;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fixed JSON-RPC error bodies the MCP endpoint answers with: a code and one lowercase line,
 * never an exception, a class name or a file path.
 *
 * @see <a href="https://www.jsonrpc.org/specification#error_object">JSON-RPC error object</a>
 */
final class JsonRpcBodies {

  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;
  static final int METHOD_NOT_FOUND = -32601;
  static final int INTERNAL_ERROR = -32603;

  /** Implementation-defined server error: a quota of the caller is full (SQLSTATE 53300). */
  static final int QUOTA = -32003;

  /** Not a JSON-RPC code of its own: the MCP SDK's and common servers' "session not found". */
  static final int SESSION_NOT_FOUND = -32001;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private JsonRpcBodies() {}

  static byte[] error(Object id, int code, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("jsonrpc", "2.0");
    body.put("id", id);
    body.put("error", error);
    return JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
  }

  /** The fixed body for an error status the transport (or the container) produced. */
  static byte[] forStatus(int status) {
    return switch (status) {
      case 400 ->
          error(
              null,
              INVALID_REQUEST,
              "invalid request: send one JSON-RPC message with the headers the MCP streamable"
                  + " HTTP transport requires");
      case 404 ->
          error(
              null, SESSION_NOT_FOUND, "session not found; start a new session with `initialize`");
      case 405 -> error(null, INVALID_REQUEST, "method not allowed on this endpoint");
      case 413 -> error(null, INVALID_REQUEST, "request body too large");
      case 503 -> error(null, INTERNAL_ERROR, "the server is not available; try again later");
      default -> error(null, INTERNAL_ERROR, "internal error in the gateway; nothing more ran");
    };
  }
}
