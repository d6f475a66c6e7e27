package dev.gatehouse.gateway.serve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Who reads {@code /actuator/prometheus}: with a token only its bearer, from anywhere; without one
 * loopback clients only. (ServeIT scrapes a running server with and without the token.)
 */
class MetricsAuthTest {

  private static final String TOKEN = "0123456789abcdef-metrics";

  @Test
  void withoutAConfiguredTokenOnlyLoopbackClientsRead() throws Exception {
    assertThat(status(null, "127.0.0.1", null)).isEqualTo(200);
    assertThat(status(null, "0:0:0:0:0:0:0:1", null)).isEqualTo(200);
    assertThat(status(null, "10.1.2.3", null)).isEqualTo(401);
    assertThat(status(null, "192.168.0.7", "Bearer anything")).isEqualTo(401);
    assertThat(status(null, "::ffff:10.0.0.1", null)).isEqualTo(401);
  }

  @Test
  void withATokenEveryClientNeedsIt() throws Exception {
    assertThat(status(TOKEN, "10.1.2.3", "Bearer " + TOKEN)).isEqualTo(200);
    assertThat(status(TOKEN, "127.0.0.1", null)).as("loopback too").isEqualTo(401);
    assertThat(status(TOKEN, "10.1.2.3", "Bearer " + TOKEN + "x")).isEqualTo(401);
    assertThat(status(TOKEN, "10.1.2.3", TOKEN)).as("not a bearer header").isEqualTo(401);
  }

  private static int status(String token, String remote, String authorization) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/prometheus");
    request.setRemoteAddr(remote);
    if (authorization != null) {
      request.addHeader("Authorization", authorization);
    }
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();
    MetricsAuth.registration(token).getFilter().doFilter(request, response, chain);
    // the chain ran (the metrics answered) exactly when the filter let the request through
    assertThat(chain.getRequest() != null).isEqualTo(response.getStatus() == 200);
    return response.getStatus();
  }
}
