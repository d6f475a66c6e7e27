package dev.gatehouse.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The approvals of a gateway's admin API ({@code /admin/approvals}), called with a bearer token.
 */
final class AdminApiClient {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  AdminApiClient(int httpPort, String token) {
    this.base = "http://127.0.0.1:" + httpPort + "/admin/approvals";
    this.token = token;
  }

  /** The pending request for exactly {@code sql} by {@code requester}, if the list shows it. */
  Optional<UUID> pending(String sql, String requester) throws Exception {
    JsonNode body = send(HttpRequest.newBuilder(URI.create(base)).GET());
    for (JsonNode r : body.path("approvals")) {
      if (sql.equals(r.path("sql").asString())
          && requester.equals(r.path("requesterSubject").asString())
          && "PENDING".equals(r.path("state").asString())) {
        return Optional.of(UUID.fromString(r.path("id").asString()));
      }
    }
    return Optional.empty();
  }

  /** Approves {@code id}; returns the request as the API answered it (state APPROVED). */
  JsonNode approve(UUID id) throws Exception {
    JsonNode r =
        send(
            HttpRequest.newBuilder(URI.create(base + "/" + id + "/approve"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    if (!"APPROVED".equals(r.path("state").asString())) {
      throw new IllegalStateException("approving " + id + " answered " + r);
    }
    return r;
  }

  private JsonNode send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        http.send(
            request
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          response.request().method()
              + " "
              + response.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return PartResult.JSON.readTree(response.body());
  }
}
