package dev.gatehouse.mcp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.Mutator;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounded fuzzing of the MCP endpoint's JSON-RPC screening: whatever the body, the screen answers
 * with a fixed, valid JSON-RPC error or lets through one JSON-RPC 2.0 object; it never throws.
 * {@code -Dgatehouse.fuzz.seconds=600} runs it longer (docs/operations.md).
 */
class RequestScreenFuzzTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static void screen(byte[] body) {
    RequestScreen.Outcome out = RequestScreen.classify(body);
    if (out == null) {
      JsonNode message = JSON.readTree(body);
      assertThat(message.isObject()).isTrue();
      assertThat(message.get("jsonrpc").asString()).isEqualTo("2.0");
      return;
    }
    JsonNode answer = JSON.readTree(out.body());
    assertThat(answer.get("jsonrpc").asString()).isEqualTo("2.0");
    assertThat(answer.get("error").get("code").isInt()).isTrue();
    assertThat(new String(out.body(), StandardCharsets.UTF_8))
        .doesNotContainIgnoringCase("exception")
        .doesNotContain("tools.jackson");
  }

  @Test
  void randomBodiesGetAFixedAnswerOrPassAsOneMessage() {
    List<byte[]> seeds =
        List.of(
            b(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}"),
            b(
                "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/call\",\"params\":{\"name\":\"query\","
                    + "\"arguments\":{\"sql\":\"SELECT 1\"}}}"),
            b("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
            b("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"resources/list\"}"),
            b("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]"));
    List<byte[]> tokens =
        List.of(
            b("["),
            b("{"),
            b("}"),
            b("]"),
            b("\""),
            b(":"),
            b(","),
            b("\\u0000"),
            b("1e999999"),
            b("\"id\":"),
            b("\"method\":\"x\""),
            b("\"jsonrpc\":\"2.0\""),
            b("null"),
            new byte[] {(byte) 0xc3, (byte) 0x28});
    long seed = Mutator.seed();
    Mutator mutator = new Mutator(seeds, tokens, seed);
    long runs = mutator.run(Mutator.budgetMillis(3), 2_000, seed, RequestScreenFuzzTest::screen);
    System.out.printf("mcp json-rpc fuzz: %d inputs, seed %d%n", runs, seed);
    assertThat(runs).isPositive();
  }

  /** Inputs that must keep their fixed answers (nesting past Jackson's depth bound, bad UTF-8). */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "5b5b5b5b5b5b5b5b5b5b",
        "7b226a736f6e727063223a22322e30222c226964223a7b7d2c226d6574686f64223a317d",
        "c328",
        "",
        // 0xff inside a member name: seen once in CI, where the parser let it through
        "7b226a736f6e727063223a22322e30222c226964223a2261222c226d6574686f64223a22746f6f6c732f63616c6c222c2270617261ff73223a7b226e616d65223a227175657279222c22617267756d656e7473223a7b2273716c223a2253454c4543542031227d7d7d",
      })
  void foundInputsKeepFixedAnswers(String hex) {
    screen(HexFormat.of().parseHex(hex));
  }

  @Test
  void aBodyThatIsNotUtf8IsAParseErrorWhateverTheParserSawBefore() {
    byte[] bad =
        HexFormat.of()
            .parseHex(
                "7b226a736f6e727063223a22322e30222c226964223a2261222c226d6574686f64223a22746f6f6c732f"
                    + "63616c6c222c2270617261ff73223a7b7d7d");
    for (int i = 0; i < 3; i++) {
      RequestScreen.Outcome out = RequestScreen.classify(bad);
      assertThat(out).isNotNull();
      assertThat(out.status()).isEqualTo(400);
      assertThat(new String(out.body(), StandardCharsets.UTF_8)).contains("not valid UTF-8");
    }
  }

  @Test
  void nestingPastTheParsersBoundIsAParseErrorNotACrash() {
    String deep = "[".repeat(5_000) + "]".repeat(5_000);
    RequestScreen.Outcome out = RequestScreen.classify(b(deep));
    assertThat(out.status()).isEqualTo(400);
    screen(b(deep));
  }
}
