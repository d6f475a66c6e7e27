package dev.gatehouse.engine.approval;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts each approval event as JSON to a webhook ({@code {"event": "created", "request": {...}}}),
 * with a timeout per attempt and a bounded number of retries. It throws when every attempt failed;
 * the service logs that and keeps the request.
 */
public final class WebhookApprovalNotifier implements ApprovalNotifier {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Where and how to post.
   *
   * @param url {@code http} or {@code https} endpoint
   * @param timeout per attempt
   * @param retries attempts after the first
   * @param backoff wait before the first retry, doubled after each
   * @param bearerToken sent as {@code Authorization: Bearer}, or null
   */
  public record Settings(
      URI url, Duration timeout, int retries, Duration backoff, String bearerToken) {
    public Settings {
      Objects.requireNonNull(url, "webhook `url` is required");
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException(
            "webhook `url` must be http or https, got `" + url + "`");
      }
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("webhook `timeout` must be positive");
      }
      if (retries < 0 || retries > 10) {
        throw new IllegalArgumentException(
            "webhook `retries` must be between 0 and 10, got " + retries);
      }
      Objects.requireNonNull(backoff, "webhook `backoff` is required");
    }

    @Override
    public String toString() {
      return "Settings[" + url + ", timeout=" + timeout + ", retries=" + retries + "]";
    }
  }

  private final Settings settings;
  private final HttpClient http;

  public WebhookApprovalNotifier(Settings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
  }

  @Override
  public void created(ApprovalRequest request) {
    post("created", request);
  }

  @Override
  public void decided(ApprovalRequest request) {
    post("decided", request);
  }

  @Override
  public void expired(ApprovalRequest request) {
    post("expired", request);
  }

  private void post(String event, ApprovalRequest r) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", event);
    body.put("request", r);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(settings.url())
            .timeout(settings.timeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    if (settings.bearerToken() != null) {
      b.header("Authorization", "Bearer " + settings.bearerToken());
    }
    HttpRequest request = b.build();
    String last = "";
    Duration wait = settings.backoff();
    for (int attempt = 0; attempt <= settings.retries(); attempt++) {
      if (attempt > 0) {
        sleep(wait);
        wait = wait.multipliedBy(2);
      }
      try {
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 == 2) {
          return;
        }
        last = "status " + response.statusCode();
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("webhook `" + settings.url() + "` interrupted", e);
      }
    }
    throw new IllegalStateException(
        "webhook `"
            + settings.url()
            + "` failed after "
            + (settings.retries() + 1)
            + " attempts: "
            + last);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
