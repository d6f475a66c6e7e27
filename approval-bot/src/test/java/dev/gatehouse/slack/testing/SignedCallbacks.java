package dev.gatehouse.slack.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.gatehouse.slack.config.Secret;
import dev.gatehouse.slack.interaction.SlackSignature;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Builds interaction callbacks as Slack sends them: form-encoded {@code payload=} JSON, signed. */
public final class SignedCallbacks {

  /** A callback ready to hand to the handler. */
  public record Callback(byte[] body, Map<String, List<String>> headers) {}

  private final SlackSignature signer;
  private final AtomicLong actionTs = new AtomicLong(1_700_000_100);

  public SignedCallbacks(Secret signingSecret) {
    this.signer = new SlackSignature(signingSecret, Duration.ofMinutes(5), Clock.systemUTC());
  }

  /** A click on the button {@code actionId} of the request message, by {@code userId}. */
  public JsonObject click(String userId, String actionId, UUID requestId) {
    JsonObject payload = new JsonObject();
    payload.addProperty("type", "block_actions");
    payload.addProperty("trigger_id", "13345224609.738474920.8088930838d88f008e0");
    payload.add("user", user(userId));
    payload.add("team", team());
    JsonObject channel = new JsonObject();
    channel.addProperty("id", FakeSlack.CHANNEL);
    payload.add("channel", channel);
    JsonObject container = new JsonObject();
    container.addProperty("type", "message");
    container.addProperty("channel_id", FakeSlack.CHANNEL);
    payload.add("container", container);
    JsonObject action = new JsonObject();
    action.addProperty("type", "button");
    action.addProperty("action_id", actionId);
    action.addProperty("block_id", "gatehouse.decision");
    action.addProperty("value", requestId.toString());
    action.addProperty("action_ts", actionTs.incrementAndGet() + ".000200");
    JsonArray actions = new JsonArray();
    actions.add(action);
    payload.add("actions", actions);
    return payload;
  }

  /** A submission of the deny modal with {@code reason}. */
  public JsonObject denySubmission(String userId, String privateMetadata, String reason) {
    JsonObject payload = new JsonObject();
    payload.addProperty("type", "view_submission");
    payload.add("user", user(userId));
    payload.add("team", team());
    JsonObject view = new JsonObject();
    view.addProperty("id", "V" + actionTs.incrementAndGet());
    view.addProperty("callback_id", "gatehouse.deny-modal");
    view.addProperty("private_metadata", privateMetadata);
    JsonObject input = new JsonObject();
    input.addProperty("type", "plain_text_input");
    input.addProperty("value", reason);
    JsonObject block = new JsonObject();
    block.add("reason_input", input);
    JsonObject values = new JsonObject();
    values.add("reason", block);
    JsonObject state = new JsonObject();
    state.add("values", values);
    view.add("state", state);
    payload.add("view", view);
    return payload;
  }

  /** Signed now. */
  public Callback signed(JsonObject payload) {
    return signedAt(payload, Instant.now());
  }

  /** Signed as if sent at {@code at}. */
  public Callback signedAt(JsonObject payload, Instant at) {
    byte[] body = form(payload);
    String ts = String.valueOf(at.getEpochSecond());
    return new Callback(body, headers(ts, signer.sign(ts, body)));
  }

  /** The form body with the payload. */
  public static byte[] form(JsonObject payload) {
    return ("payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);
  }

  public static Map<String, List<String>> headers(String timestamp, String signature) {
    return Map.of(
        "Content-Type", List.of("application/x-www-form-urlencoded"),
        "X-Slack-Request-Timestamp", List.of(timestamp),
        "x-slack-signature", List.of(signature));
  }

  private static JsonObject user(String userId) {
    JsonObject user = new JsonObject();
    user.addProperty("id", userId);
    user.addProperty("username", "looks-like-an-approver");
    user.addProperty("team_id", FakeSlack.TEAM);
    return user;
  }

  private static JsonObject team() {
    JsonObject team = new JsonObject();
    team.addProperty("id", FakeSlack.TEAM);
    return team;
  }
}
