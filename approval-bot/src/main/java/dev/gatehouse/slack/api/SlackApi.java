package dev.gatehouse.slack.api;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import dev.gatehouse.slack.config.RetryPolicy;
import dev.gatehouse.slack.config.SlackBotConfig;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack Web API through the official SDK, with the retries Slack asks clients to make: wait
 * {@code Retry-After} on 429, back off on 5xx and on connection failures. Blocks the calling
 * thread, so it is only called from the bot's own executor and outbox threads.
 */
public final class SlackApi implements AutoCloseable {

  /** One SDK call. */
  @FunctionalInterface
  public interface Call<T extends SlackApiTextResponse> {
    T run(MethodsClient methods) throws IOException, SlackApiException;
  }

  /** Waits between attempts; tests may shorten it. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private static final Logger log = LoggerFactory.getLogger(SlackApi.class);

  private final Slack slack;
  private final MethodsClient methods;
  private final RetryPolicy retry;
  private final Sleeper sleeper;

  public SlackApi(SlackBotConfig config) {
    this(config, d -> Thread.sleep(d.toMillis()));
  }

  public SlackApi(SlackBotConfig config, Sleeper sleeper) {
    SlackConfig sdkConfig = new SlackConfig();
    sdkConfig.setMethodsEndpointUrlPrefix(config.methodsEndpointUrlPrefix());
    // Slack returns fields the SDK version may not know yet; they must not fail a call.
    sdkConfig.setFailOnUnknownProperties(false);
    sdkConfig.setPrettyResponseLoggingEnabled(false);
    sdkConfig.setHttpClientCallTimeoutMillis(10_000);
    this.slack = Slack.getInstance(sdkConfig);
    this.methods = slack.methods(config.botToken().reveal());
    this.retry = config.retry();
    this.sleeper = sleeper;
  }

  /**
   * Runs {@code call} until Slack answers {@code ok: true}, a permanent error, or the attempts run
   * out.
   */
  public <T extends SlackApiTextResponse> T call(String method, Call<T> call)
      throws SlackCallException {
    SlackCallException last = null;
    for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
      Duration wait;
      try {
        T response = call.run(methods);
        if (response.isOk()) {
          return response;
        }
        if (!"ratelimited".equals(response.getError())) {
          throw new SlackCallException(method, response.getError(), false, null);
        }
        last = new SlackCallException(method, "ratelimited", true, null);
        wait = retry.backoff(attempt);
      } catch (SlackApiException e) {
        int status = e.getResponse().code();
        if (status == 429) {
          wait = retryAfter(e, attempt);
          last = new SlackCallException(method, "http 429 (rate limited)", true, e);
          if (wait.compareTo(retry.maxRetryAfter()) > 0) {
            throw last;
          }
        } else if (status >= 500) {
          wait = retry.backoff(attempt);
          last = new SlackCallException(method, "http " + status, true, e);
        } else {
          throw new SlackCallException(method, "http " + status, false, e);
        }
      } catch (IOException e) {
        wait = retry.backoff(attempt);
        last =
            new SlackCallException(method, "slack unreachable (" + e.getMessage() + ")", true, e);
      }
      if (attempt < retry.maxAttempts()) {
        log.debug("slack {} attempt {} failed ({}), retrying in {}", method, attempt, last, wait);
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw last;
        }
      }
    }
    throw last;
  }

  private Duration retryAfter(SlackApiException e, int attempt) {
    String header = e.getResponse().header("Retry-After");
    if (header != null) {
      try {
        return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
      } catch (NumberFormatException ignored) {
        // An HTTP date or garbage: fall back to our own backoff.
      }
    }
    return retry.backoff(attempt);
  }

  @Override
  public void close() {
    try {
      slack.close();
    } catch (Exception e) {
      log.debug("closing the slack client failed", e);
    }
  }
}
