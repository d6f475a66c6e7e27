package dev.gatehouse.mcp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class McpServerConfigTest {

  private static final List<URI> ISSUERS = List.of(URI.create("https://idp.example.com"));

  @Test
  void defaultsFillEveryOptionalValue() {
    McpServerConfig c = McpServerConfig.of("shop", ISSUERS);
    assertThat(c.endpoint()).isEqualTo("/mcp");
    assertThat(c.metadataPath()).isEqualTo("/.well-known/oauth-protected-resource/mcp");
    assertThat(c.maxRows()).isEqualTo(McpServerConfig.DEFAULT_MAX_ROWS);
    assertThat(c.defaultRows()).isEqualTo(McpServerConfig.DEFAULT_ROWS);
    assertThat(c.approvalWait()).isEqualTo(McpServerConfig.DEFAULT_APPROVAL_WAIT);
    assertThat(c.poolSize()).isEqualTo(McpServerConfig.DEFAULT_POOL_SIZE);
    assertThat(c.scopes()).isEmpty();
    assertThat(c.stateless()).isFalse();
    assertThat(c.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.sessionMaxLifetime()).isZero();
  }

  @Test
  void sessionsMustEndOnceIdle() {
    assertThatThrownBy(
            () ->
                McpServerConfig.builder("shop", ISSUERS).sessionIdleTimeout(Duration.ZERO).build())
        .hasMessage(
            "invalid mcp configuration: `session-idle-timeout` must be longer than 0, got `0s`:"
                + " an MCP session its client forgets must end");
    assertThatThrownBy(
            () ->
                McpServerConfig.builder("shop", ISSUERS)
                    .sessionMaxLifetime(Duration.ofMillis(-1500))
                    .build())
        .hasMessageContaining(
            "`session-max-lifetime` must not be negative, got `-1500ms` (0 means no bound)");
  }

  @Test
  void badValuesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> McpServerConfig.of("", ISSUERS))
        .hasMessageContaining("`database` is required");
    assertThatThrownBy(() -> McpServerConfig.of("shop", List.of()))
        .hasMessageContaining("`authorization-servers`");
    assertThatThrownBy(() -> McpServerConfig.of("shop", List.of(URI.create("ftp://x"))))
        .hasMessageContaining("`ftp://x` is not an http(s) URL");
    assertThatThrownBy(() -> McpServerConfig.builder("shop", ISSUERS).endpoint("mcp/").build())
        .hasMessageContaining("`endpoint`");
    assertThatThrownBy(() -> McpServerConfig.builder("shop", ISSUERS).maxRows(-1).build())
        .hasMessageContaining("`max-rows` must be positive");
    assertThatThrownBy(
            () -> McpServerConfig.builder("shop", ISSUERS).maxRows(10).defaultRows(20).build())
        .hasMessageContaining("`default-rows` (20) exceeds `max-rows` (10)");
    assertThatThrownBy(
            () -> McpServerConfig.builder("shop", ISSUERS).scopes(List.of("a b")).build())
        .hasMessageContaining("not a valid scope token");
    assertThatThrownBy(
            () ->
                McpServerConfig.builder("shop", ISSUERS)
                    .approvalWait(Duration.ofSeconds(-1))
                    .build())
        .hasMessageContaining("`approval-wait`");
    assertThatThrownBy(
            () ->
                McpServerConfig.builder("shop", ISSUERS)
                    .resourceUrl(URI.create("/relative"))
                    .build())
        .hasMessageContaining("`resource-url`");
  }

  @Test
  void problemsAreReportedTogether() {
    assertThatThrownBy(() -> McpServerConfig.builder("", List.of()).poolSize(-2).build())
        .hasMessageContaining("`database`")
        .hasMessageContaining("`authorization-servers`")
        .hasMessageContaining("`pool-size`");
  }
}
