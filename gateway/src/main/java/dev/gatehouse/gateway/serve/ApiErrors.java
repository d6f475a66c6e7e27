package dev.gatehouse.gateway.serve;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * What the admin API and the Slack endpoint answer when a call fails unexpectedly: a fixed body and
 * one log line, never an exception's message, class name or stack trace (whatever Spring's error
 * properties say).
 */
@RestControllerAdvice(assignableTypes = {AdminApi.class, SlackEndpoint.class})
class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
    return ResponseEntity.badRequest()
        .body(Map.of("error", "the request body is not valid JSON; send `{\"reason\": \"...\"}`"));
  }

  @ExceptionHandler(RuntimeException.class)
  ResponseEntity<Map<String, String>> failed(RuntimeException e) {
    log.warn("an admin or slack call failed: {}", e.toString());
    return ResponseEntity.status(500)
        .body(Map.of("error", "internal error in the gateway; try again, or ask its operator"));
  }
}
