package dev.gatehouse.wire.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TransportTest {

  @Test
  void epollOnlyWhenWantedAndAvailable() {
    assertThat(Transport.choose(true, true)).isEqualTo(Transport.EPOLL);
    assertThat(Transport.choose(true, false)).isEqualTo(Transport.NIO);
    assertThat(Transport.choose(false, true)).isEqualTo(Transport.NIO);
    assertThat(Transport.choose(false, false)).isEqualTo(Transport.NIO);
  }

  @Test
  void channelsMatchTheirTransport() {
    assertThat(Transport.EPOLL.serverChannel()).isEqualTo(EpollServerSocketChannel.class);
    assertThat(Transport.EPOLL.socketChannel()).isEqualTo(EpollSocketChannel.class);
    assertThat(Transport.NIO.serverChannel()).isEqualTo(NioServerSocketChannel.class);
    assertThat(Transport.NIO.socketChannel()).isEqualTo(NioSocketChannel.class);
    // An upstream connection follows its client's channel; anything not epoll is NIO.
    assertThat(Transport.of(new NioSocketChannel())).isEqualTo(Transport.NIO);
    assertThat(Transport.of(new EmbeddedChannel())).isEqualTo(Transport.NIO);
  }

  @Test
  void nativeLibraryShipsForLinuxX8664() {
    boolean linuxX64 =
        System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
            && System.getProperty("os.arch").matches("amd64|x86_64");
    // The pom ships the linux-x86_64 library; on other platforms the proxy falls back to NIO.
    assertThat(Epoll.isAvailable())
        .as(String.valueOf(Epoll.unavailabilityCause()))
        .isEqualTo(linuxX64);
    assertThat(Transport.choose()).isEqualTo(linuxX64 ? Transport.EPOLL : Transport.NIO);
    assertThat(Transport.whyNotNative() == null).isEqualTo(linuxX64);
  }

  @Test
  void thePropertyTurnsNativeOff() {
    String before = System.getProperty(Transport.NATIVE_PROPERTY);
    System.setProperty(Transport.NATIVE_PROPERTY, "false");
    try {
      assertThat(Transport.choose()).isEqualTo(Transport.NIO);
      assertThat(Transport.whyNotNative()).contains(Transport.NATIVE_PROPERTY);
    } finally {
      if (before == null) {
        System.clearProperty(Transport.NATIVE_PROPERTY);
      } else {
        System.setProperty(Transport.NATIVE_PROPERTY, before);
      }
    }
  }
}
