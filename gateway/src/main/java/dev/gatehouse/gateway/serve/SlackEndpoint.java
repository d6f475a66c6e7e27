package dev.gatehouse.gateway.serve;

import dev.gatehouse.gateway.web.WebBeans;
import dev.gatehouse.slack.interaction.SlackInteractionHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Slack's interactivity URL: the raw body goes to the bot's handler, which checks the signature.
 */
@RestController
class SlackEndpoint {

  private final WebBeans beans;

  SlackEndpoint(WebBeans beans) {
    this.beans = beans;
  }

  @PostMapping("/slack/interactions")
  ResponseEntity<String> interaction(
      @RequestBody(required = false) byte[] body, @RequestHeader HttpHeaders headers) {
    SlackInteractionHandler handler = beans.slack();
    if (handler == null) {
      return ResponseEntity.status(404).body("slack is not configured on this gateway");
    }
    Map<String, List<String>> plain = new LinkedHashMap<>();
    headers.forEach((name, values) -> plain.put(name, new ArrayList<>(values)));
    SlackInteractionHandler.Response r = handler.handle(body == null ? new byte[0] : body, plain);
    return ResponseEntity.status(r.status())
        .header(HttpHeaders.CONTENT_TYPE, r.contentType())
        .body(r.body());
  }
}
