package dev.gatehouse.slack.interaction;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.gatehouse.engine.approval.ApprovalService;
import dev.gatehouse.engine.approval.ApproverPolicy;
import dev.gatehouse.slack.api.SlackApi;
import dev.gatehouse.slack.audit.SlackAuditLog;
import dev.gatehouse.slack.identity.SlackIdentityResolver;
import dev.gatehouse.slack.message.ActionIds;
import dev.gatehouse.slack.message.DenyModal;
import dev.gatehouse.slack.outbox.SlackOutbox;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack's interactivity endpoint, free of any HTTP framework: takes the raw body and headers,
 * returns a status and body. It verifies the signature first (bad or stale: 401, recorded), answers
 * at once so Slack's 3-second limit is never at risk, and leaves the real work to an executor.
 *
 * <p>https://api.slack.com/interactivity/handling#payloads
 */
public final class SlackInteractionHandler {

  /** The HTTP answer. */
  public record Response(int status, String contentType, String body) {
    static Response empty(int status) {
      return new Response(status, "text/plain; charset=utf-8", "");
    }
  }

  /** Larger bodies are not Slack's; refused before any parsing. */
  public static final int MAX_BODY_BYTES = 1 << 20;

  private static final Logger log = LoggerFactory.getLogger(SlackInteractionHandler.class);
  private static final Duration REMEMBER_CLICKS = Duration.ofMinutes(10);

  private final SlackSignature signature;
  private final ClickProcessor clicks;
  private final SlackAuditLog audit;
  private final Executor executor;
  private final Clock clock;
  private final Map<String, Instant> seen = new ConcurrentHashMap<>();

  /** A handler that verifies with {@code signature} and does the work on {@code executor}. */
  public SlackInteractionHandler(
      SlackSignature signature,
      SlackApi slack,
      SlackIdentityResolver identities,
      ApproverPolicy approvers,
      SlackOutbox outbox,
      SlackAuditLog audit,
      Supplier<ApprovalService> approvals,
      Executor executor,
      Clock clock) {
    this.signature = signature;
    this.clicks = new ClickProcessor(slack, identities, approvers, outbox, audit, clock, approvals);
    this.audit = audit;
    this.executor = executor;
    this.clock = clock;
  }

  /** Handles one POST. {@code headers} may use any letter case; each maps to its values. */
  public Response handle(byte[] body, Map<String, List<String>> headers) {
    if (body.length > MAX_BODY_BYTES) {
      return Response.empty(413);
    }
    Optional<String> refused =
        signature.check(
            header(headers, "X-Slack-Request-Timestamp"),
            header(headers, "X-Slack-Signature"),
            body);
    if (refused.isPresent()) {
      log.warn("slack callback refused: {}", refused.get());
      try {
        audit.rejectedCallback(clock.instant(), refused.get());
      } catch (RuntimeException e) {
        log.error("could not record a refused slack callback: {}", e.toString());
      }
      return Response.empty(401);
    }
    JsonObject payload;
    try {
      payload = payload(body);
    } catch (IllegalArgumentException | JsonParseException | IllegalStateException e) {
      return new Response(400, "text/plain; charset=utf-8", "malformed slack payload");
    }
    try {
      return switch (text(payload, "type")) {
        case "block_actions" -> blockActions(payload);
        case "view_submission" -> viewSubmission(payload);
        default -> Response.empty(200);
      };
    } catch (RejectedExecutionException e) {
      // Slack retries a callback that was not acknowledged; better than dropping the click.
      log.warn("slack click queue is full, asking slack to retry");
      return Response.empty(503);
    }
  }

  private Response blockActions(JsonObject payload) {
    String triggerId = text(payload, "trigger_id");
    String channel = text(obj(payload, "channel"), "id");
    JsonArray actions =
        payload.has("actions") && payload.get("actions").isJsonArray()
            ? payload.getAsJsonArray("actions")
            : new JsonArray();
    for (JsonElement element : actions) {
      if (!element.isJsonObject()) {
        continue;
      }
      JsonObject action = element.getAsJsonObject();
      String actionId = text(action, "action_id");
      Interaction click = interaction(payload, channel, text(action, "action_ts"));
      if (firstTime(click, actionId)) {
        Optional<UUID> approve = ActionIds.requestId(actionId, ActionIds.APPROVE_PREFIX);
        Optional<UUID> deny = ActionIds.requestId(actionId, ActionIds.DENY_PREFIX);
        if (approve.isPresent()) {
          run(() -> clicks.approve(click, approve.get()));
        } else if (deny.isPresent()) {
          run(() -> clicks.openDeny(click, deny.get(), triggerId));
        }
      }
    }
    return Response.empty(200);
  }

  private Response viewSubmission(JsonObject payload) {
    JsonObject view = obj(payload, "view");
    if (!ActionIds.DENY_MODAL.equals(text(view, "callback_id"))) {
      return Response.empty(200);
    }
    Optional<DenyModal.Target> target = DenyModal.target(text(view, "private_metadata"));
    if (target.isEmpty()) {
      return new Response(400, "text/plain; charset=utf-8", "malformed deny form");
    }
    String reason =
        text(
                obj(
                    obj(obj(obj(view, "state"), "values"), ActionIds.REASON_BLOCK),
                    ActionIds.REASON_INPUT),
                "value")
            .strip();
    if (reason.length() < 3) {
      // Shown under the field; the modal stays open.
      return new Response(
          200,
          "application/json; charset=utf-8",
          "{\"response_action\":\"errors\",\"errors\":{\""
              + ActionIds.REASON_BLOCK
              + "\":\"say why the statement is denied\"}}");
    }
    String bounded =
        reason.length() > DenyModal.MAX_REASON ? reason.substring(0, DenyModal.MAX_REASON) : reason;
    Interaction click = interaction(payload, target.get().channel(), text(view, "id"));
    if (firstTime(click, "deny-submit")) {
      run(() -> clicks.deny(click, target.get().requestId(), bounded));
    }
    return Response.empty(200);
  }

  /** Runs click work on the executor; a failure is logged, never lost silently. */
  private void run(Runnable work) {
    executor.execute(
        () -> {
          try {
            work.run();
          } catch (RuntimeException e) {
            log.error("slack click could not be processed", e);
          }
        });
  }

  /**
   * True the first time a user's click is seen: Slack redelivers a callback it thinks was not
   * acknowledged, and that must not become a second decision or a second audit record.
   */
  private boolean firstTime(Interaction click, String what) {
    Instant now = clock.instant();
    seen.values().removeIf(until -> until.isBefore(now));
    String key = click.userId() + "|" + click.actionTs() + "|" + what;
    return seen.putIfAbsent(key, now.plus(REMEMBER_CLICKS)) == null;
  }

  private static Interaction interaction(JsonObject payload, String channel, String actionTs) {
    JsonObject user = obj(payload, "user");
    String team = text(user, "team_id");
    if (team.isEmpty()) {
      team = text(obj(payload, "team"), "id");
    }
    return new Interaction(
        text(user, "id"),
        team.isEmpty() ? null : team,
        channel.isEmpty() ? null : channel,
        actionTs);
  }

  private static JsonObject payload(byte[] body) {
    String form = new String(body, StandardCharsets.UTF_8);
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && "payload".equals(pair.substring(0, eq))) {
        String json = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        return JsonParser.parseString(json).getAsJsonObject();
      }
    }
    throw new IllegalArgumentException("no payload");
  }

  private static JsonObject obj(JsonObject parent, String name) {
    JsonElement e = parent == null ? null : parent.get(name);
    return e != null && e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
  }

  private static String text(JsonObject parent, String name) {
    JsonElement e = parent == null ? null : parent.get(name);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
  }

  private static String header(Map<String, List<String>> headers, String name) {
    for (var e : headers.entrySet()) {
      if (e.getKey() != null
          && e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))
          && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }
}
