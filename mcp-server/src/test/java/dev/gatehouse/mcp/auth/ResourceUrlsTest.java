package dev.gatehouse.mcp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.mcp.config.McpServerConfig;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class ResourceUrlsTest {

  private final McpServerConfig config =
      McpServerConfig.of("shop", List.of(URI.create("https://idp.example.com")));

  private static MockHttpServletRequest request() {
    MockHttpServletRequest r = new MockHttpServletRequest("POST", "/mcp");
    r.setScheme("http");
    r.setServerName("10.0.0.5");
    r.setServerPort(8080);
    return r;
  }

  @Test
  void withoutProxyHeadersTheRequestItselfNamesTheResource() {
    ResourceUrls urls = new ResourceUrls(config);
    assertThat(urls.resource(request())).hasToString("http://10.0.0.5:8080/mcp");
    assertThat(urls.metadata(request()))
        .hasToString("http://10.0.0.5:8080/.well-known/oauth-protected-resource/mcp");
  }

  @Test
  void xForwardedHeadersAreHonoured() {
    MockHttpServletRequest r = request();
    r.addHeader("X-Forwarded-Proto", "https");
    r.addHeader("X-Forwarded-Host", "gw.example.com, inner.local");
    r.addHeader("X-Forwarded-Port", "8443");
    r.addHeader("X-Forwarded-Prefix", "/db/");
    ResourceUrls urls = new ResourceUrls(config);
    assertThat(urls.resource(r)).hasToString("https://gw.example.com:8443/db/mcp");
    assertThat(urls.metadata(r))
        .hasToString("https://gw.example.com:8443/.well-known/oauth-protected-resource/db/mcp");
  }

  @Test
  void forwardedHeaderIsHonoured() {
    MockHttpServletRequest r = request();
    r.addHeader("Forwarded", "for=1.2.3.4;proto=https;host=\"gw.example.com\", for=5.6.7.8");
    assertThat(new ResourceUrls(config).resource(r)).hasToString("https://gw.example.com/mcp");
  }

  @Test
  void malformedForwardedValuesAreIgnored() {
    MockHttpServletRequest r = request();
    r.addHeader("X-Forwarded-Proto", "javascript");
    r.addHeader("X-Forwarded-Host", "evil\"host");
    r.addHeader("X-Forwarded-Prefix", "/a\"b");
    assertThat(new ResourceUrls(config).resource(r)).hasToString("http://10.0.0.5:8080/mcp");
  }

  @Test
  void aConfiguredResourceUrlWins() {
    McpServerConfig fixed =
        McpServerConfig.builder("shop", List.of(URI.create("https://idp.example.com")))
            .resourceUrl(URI.create("https://mcp.example.com/tools/mcp"))
            .build();
    MockHttpServletRequest r = request();
    r.addHeader("X-Forwarded-Host", "other.example.com");
    ResourceUrls urls = new ResourceUrls(fixed);
    assertThat(urls.resource(r)).hasToString("https://mcp.example.com/tools/mcp");
    assertThat(urls.metadata(r))
        .hasToString("https://mcp.example.com/.well-known/oauth-protected-resource/tools/mcp");
  }
}
