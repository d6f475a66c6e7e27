package dev.gatehouse.slack.api;

/**
 * A Slack Web API call failed for good ({@code transient == false}: Slack said no, e.g. {@code
 * channel_not_found}) or for now ({@code transient == true}: 429, 5xx, Slack unreachable).
 */
public final class SlackCallException extends Exception {

  private final String method;
  private final boolean retryable;

  public SlackCallException(String method, String message, boolean retryable, Throwable cause) {
    super("slack `" + method + "` failed: " + message, cause);
    this.method = method;
    this.retryable = retryable;
  }

  public String method() {
    return method;
  }

  /** True when trying again later may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
