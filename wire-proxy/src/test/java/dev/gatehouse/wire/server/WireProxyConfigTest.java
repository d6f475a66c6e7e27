package dev.gatehouse.wire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WireProxyConfigTest {

  @Test
  void defaultsAreFilledInOnePlace() {
    WireProxyConfig c = WireProxyConfig.defaults(null, 0);
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.maxConnections()).isEqualTo(1000);
    assertThat(c.maxMessageSize()).isEqualTo(64 * 1024 * 1024);
    assertThat(c.startupTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.tlsEnabled()).isFalse();
  }

  @Test
  void badValuesSayWhatToWrite() {
    assertThatThrownBy(() -> WireProxyConfig.defaults("h", 70000))
        .hasMessageContaining("`port` 70000 is out of range");
    assertThatThrownBy(
            () ->
                WireProxyConfig.defaults("h", 1).withTls(Path.of("/nonexistent.pem"), null, false))
        .hasMessageContaining("needs both `tlsCertificate` and `tlsKey`");
    assertThatThrownBy(
            () ->
                WireProxyConfig.defaults("h", 1)
                    .withTls(Path.of("/nonexistent.pem"), Path.of("/nonexistent.key"), false))
        .hasMessageContaining("is not a readable file");
    assertThatThrownBy(() -> WireProxyConfig.defaults("h", 1).withLimits(-1, 0, null, null))
        .hasMessageContaining("`maxConnections` must be positive");
  }
}
