package dev.gatehouse.wire.net;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket transport of the event loops: Linux's native epoll where its library loads (fewer
 * system calls and no selector bookkeeping per event), Java NIO anywhere else. The upstream
 * connection of a client runs on the client's loop, so it must use the same transport.
 */
public enum Transport {
  EPOLL,
  NIO;

  /** System property that turns the native transport off ({@code false}), e.g. to compare. */
  public static final String NATIVE_PROPERTY = "gatehouse.wire.nativeTransport";

  /** The transport to use on this machine. */
  public static Transport choose() {
    boolean wanted = !"false".equalsIgnoreCase(System.getProperty(NATIVE_PROPERTY));
    return choose(wanted, wanted && Epoll.isAvailable());
  }

  /** Epoll when it is wanted and its native library loaded, else NIO. */
  public static Transport choose(boolean nativeWanted, boolean epollAvailable) {
    return nativeWanted && epollAvailable ? EPOLL : NIO;
  }

  /** Why the native transport is not used (for the log), or null when it is. */
  public static String whyNotNative() {
    if ("false".equalsIgnoreCase(System.getProperty(NATIVE_PROPERTY))) {
      return NATIVE_PROPERTY + "=false";
    }
    Throwable cause = Epoll.unavailabilityCause();
    return cause == null ? null : String.valueOf(cause.getMessage());
  }

  /** The transport {@code channel} runs on (its upstream connections must match it). */
  public static Transport of(Channel channel) {
    return channel instanceof EpollSocketChannel ? EPOLL : NIO;
  }

  public IoHandlerFactory ioHandler() {
    return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  public Class<? extends ServerChannel> serverChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public Class<? extends Channel> socketChannel() {
    return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }
}
