package dev.gatehouse.mcp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Which POSTs may be answered with one JSON response: requests that ask for no progress. */
class RequestScreenSingleTest {

  private static RequestScreen.Outcome screen(String body) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/mcp");
    request.setContent(body.getBytes(StandardCharsets.UTF_8));
    return RequestScreen.screen(request, 1 << 20);
  }

  private static boolean single(String body) throws Exception {
    RequestScreen.Outcome out = screen(body);
    assertThat(out.request()).as(body).isNotNull();
    return out.single();
  }

  @Test
  void requestsWithoutAProgressTokenAreSingle() throws Exception {
    assertThat(single("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")).isTrue();
    assertThat(single("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/list\",\"params\":{}}"))
        .isTrue();
    assertThat(
            single(
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"query\",\"arguments\":{\"sql\":\"SELECT 1\"},\"_meta\":{\"other\":1}}}"))
        .isTrue();
    // A null token asks for nothing (the handlers send no progress for it).
    assertThat(
            single(
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"query\",\"_meta\":{\"progressToken\":null}}}"))
        .isTrue();
  }

  @Test
  void progressInitializeNotificationsAndResponsesAreNot() throws Exception {
    assertThat(
            single(
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"query\",\"_meta\":{\"progressToken\":\"t\"}}}"))
        .isFalse();
    assertThat(
            single(
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"query\",\"_meta\":{\"progressToken\":0}}}"))
        .isFalse();
    assertThat(
            single(
                "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}"))
        .isFalse();
    assertThat(single("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")).isFalse();
    assertThat(single("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}")).isFalse();
    assertThat(single("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}")).isFalse();
  }

  @Test
  void refusalsAreNeverSingle() throws Exception {
    RequestScreen.Outcome unknown = screen("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"x/y\"}");
    assertThat(unknown.request()).isNull();
    assertThat(unknown.single()).isFalse();
    assertThat(screen("not json").single()).isFalse();
  }
}
