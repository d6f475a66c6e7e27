package dev.gatehouse.slack.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.util.json.GsonFactory;
import dev.gatehouse.engine.approval.ApprovalRequest;
import dev.gatehouse.engine.approval.ApprovalState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ApprovalMessageTest {

  private static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");
  private final ApprovalMessage message = new ApprovalMessage(2500);

  private static ApprovalRequest request(
      ApprovalState state,
      String sql,
      Map<String, String> claims,
      List<String> params,
      String by,
      String why) {
    return new ApprovalRequest(
        UUID.fromString("11111111-2222-3333-4444-555555555555"),
        state,
        "https://issuer.example",
        "etl-nightly",
        claims,
        "shop",
        sql,
        params,
        List.of("etl-destructive-needs-approval"),
        "DELETE without WHERE",
        NOW.minusSeconds(60),
        NOW.plus(Duration.ofMinutes(10)),
        by,
        by == null ? null : NOW,
        why);
  }

  private static JsonArray json(List<LayoutBlock> blocks) {
    return GsonFactory.createSnakeCase().toJsonTree(blocks).getAsJsonArray();
  }

  @Test
  void hashedParametersSayWhatTheyAre() {
    String hashed =
        json(message.blocks(
                request(
                    ApprovalState.PENDING,
                    "UPDATE app.orders SET note = $1 WHERE id > $2",
                    Map.of(),
                    List.of("hmac:0a1b", "NULL"),
                    null,
                    null),
                NOW))
            .toString();
    org.assertj.core.api.Assertions.assertThat(hashed)
        .contains("$1 = `hmac:0a1b`")
        .contains(dev.gatehouse.engine.approval.ApprovalParams.NOTE);
    String clear =
        json(message.blocks(
                request(
                    ApprovalState.PENDING,
                    "UPDATE app.orders SET note = $1 WHERE id > $2",
                    Map.of(),
                    List.of("late", "0"),
                    null,
                    null),
                NOW))
            .toString();
    org.assertj.core.api.Assertions.assertThat(clear)
        .contains("$1 = `late`")
        .doesNotContain("keyed hashes");
  }

  @Test
  void aHugeRequestStaysWithinSlacksLimits() {
    Map<String, String> claims = new HashMap<>();
    IntStream.range(0, 60).forEach(i -> claims.put("claim" + i, "v".repeat(5000)));
    List<String> params = IntStream.range(0, 200).mapToObj(i -> "p".repeat(10_000)).toList();
    String sql = "DELETE FROM app.orders WHERE note = '<&>```'\n".repeat(5000);

    JsonArray blocks =
        json(message.blocks(request(ApprovalState.PENDING, sql, claims, params, null, null), NOW));

    assertThat(blocks.size()).isLessThanOrEqualTo(50);
    for (JsonElement e : blocks) {
      JsonObject block = e.getAsJsonObject();
      String type = block.get("type").getAsString();
      if (type.equals("header")) {
        assertThat(block.getAsJsonObject("text").get("text").getAsString().length())
            .isLessThanOrEqualTo(150);
      }
      if (block.has("text")) {
        assertThat(block.getAsJsonObject("text").get("text").getAsString().length())
            .isLessThanOrEqualTo(3000);
      }
      if (block.has("fields")) {
        block
            .getAsJsonArray("fields")
            .forEach(
                f ->
                    assertThat(f.getAsJsonObject().get("text").getAsString().length())
                        .isLessThanOrEqualTo(2000));
      }
      if (type.equals("actions")) {
        block
            .getAsJsonArray("elements")
            .forEach(
                b ->
                    assertThat(b.getAsJsonObject().get("action_id").getAsString().length())
                        .isLessThanOrEqualTo(255));
      }
    }
    assertThat(blocks.toString()).contains("more characters not shown");
  }

  @Test
  void aPendingRequestHasConfirmedApproveAndDeny() {
    String json =
        json(message.blocks(
                request(
                    ApprovalState.PENDING,
                    "DROP TABLE t",
                    Map.of("kind", "workload"),
                    List.of("42"),
                    null,
                    null),
                NOW))
            .toString();

    assertThat(json)
        .contains(ActionIds.approve(UUID.fromString("11111111-2222-3333-4444-555555555555")))
        .contains("\"confirm\"", "Approve this statement?", "\"style\":\"danger\"")
        .contains("$1 = `42`", "CI / batch workload", "<!date^");
  }

  @Test
  void aDecidedRequestShowsTheOutcomeWithoutButtons() {
    String denied =
        json(message.blocks(
                request(
                    ApprovalState.DENIED,
                    "DROP TABLE t",
                    Map.of(),
                    List.of(),
                    "dba (https://issuer.example)",
                    "not <now> & `never`"),
                NOW))
            .toString();

    assertThat(denied)
        .doesNotContain("\"actions\"")
        .contains("Denied", "dba (https://issuer.example)", "not &lt;now&gt; &amp; ˋneverˋ");
  }

  @Test
  void aPendingRequestPastItsExpiryShowsAsExpired() {
    String json =
        json(message.blocks(
                request(ApprovalState.PENDING, "DROP TABLE t", Map.of(), List.of(), null, null),
                NOW.plus(Duration.ofHours(1))))
            .toString();

    assertThat(json).doesNotContain("\"actions\"").contains("Expired");
  }

  @Test
  void fallbackTextIsEscaped() {
    ApprovalRequest r =
        new ApprovalRequest(
            UUID.randomUUID(),
            ApprovalState.PENDING,
            "iss",
            "<!channel>",
            Map.of(),
            "db",
            "x",
            List.of(),
            List.of(),
            "r",
            NOW,
            NOW.plusSeconds(60),
            null,
            null,
            null);

    assertThat(message.fallbackText(r)).doesNotContain("<!channel>").contains("&lt;!channel&gt;");
  }
}
