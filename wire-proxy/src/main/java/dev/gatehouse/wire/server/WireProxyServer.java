package dev.gatehouse.wire.server;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.quota.Quotas;
import dev.gatehouse.wire.net.Transport;
import dev.gatehouse.wire.protocol.FrameDecoder;
import dev.gatehouse.wire.upstream.UpstreamConnection;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL wire-protocol front end: one event loop per core (native epoll on Linux, else
 * NIO), each client's upstream connection on the client's own loop, auto-read off on both sides.
 */
public final class WireProxyServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WireProxyServer.class);

  private final WireProxyConfig config;
  private final Gate gate;
  private final Quotas quotas;
  private final ConnectionSlots slots;
  private final CancelRegistry cancels = new CancelRegistry();
  private final AtomicInteger connections = new AtomicInteger();
  private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private ExecutorService blocking;
  private Channel listener;
  private Transport transport;

  /** A server that bounds nothing per principal (tests, embedded uses). */
  public WireProxyServer(WireProxyConfig config, Gate gate) {
    this(config, gate, Quotas.unlimited());
  }

  /**
   * A server whose sessions and upstream connections count against {@code quotas}; {@code
   * maxConnections} bounds authenticated sessions, and sockets in startup have a reserve of their
   * own.
   */
  public WireProxyServer(WireProxyConfig config, Gate gate, Quotas quotas) {
    this.config = config;
    this.gate = gate;
    this.quotas = quotas;
    this.slots =
        new ConnectionSlots(
            config.maxConnections(),
            quotas.limits().unauthenticatedConnections(),
            quotas.limits().perAddressInStartup());
  }

  /** Binds the listener; returns once it accepts connections. */
  public synchronized WireProxyServer start() {
    if (listener != null) {
      throw new IllegalStateException("the wire proxy is already running");
    }
    SslContext ssl = sslContext();
    transport = Transport.choose();
    if (transport == Transport.EPOLL) {
      log.info("wire proxy transport: native epoll");
    } else {
      log.info(
          "wire proxy transport: java nio (native epoll unavailable: {})",
          Transport.whyNotNative());
    }
    boss = new MultiThreadIoEventLoopGroup(1, transport.ioHandler());
    // 0 is one per core, as documented; Netty's own default for 0 is two per core.
    int loops =
        config.eventLoopThreads() == 0
            ? Runtime.getRuntime().availableProcessors()
            : config.eventLoopThreads();
    workers = new MultiThreadIoEventLoopGroup(loops, transport.ioHandler());
    // Token verification may fetch signing keys over HTTP: never on an event loop.
    blocking = Executors.newVirtualThreadPerTaskExecutor();
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(transport.serverChannel())
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    connections.incrementAndGet();
                    ch.closeFuture().addListener(f -> connections.decrementAndGet());
                    clients.add(ch);
                    ch.attr(UpstreamConnection.TIMEOUT).set(config.upstreamTimeout());
                    // PostgreSQL's own bounds until the client is authenticated (FrameDecoder).
                    FrameDecoder decoder = FrameDecoder.forClient(config.maxMessageSize());
                    if (!config.idleTimeout().isZero()) {
                      ch.pipeline()
                          .addLast(
                              new IdleStateHandler(
                                  0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                    }
                    ch.pipeline()
                        .addLast(decoder)
                        .addLast(new StartupGuard(decoder))
                        .addLast(
                            new ClientHandler(
                                gate, config, ssl, cancels, blocking, slots, quotas, decoder));
                  }
                });
    listener = bootstrap.bind(config.host(), config.port()).syncUninterruptibly().channel();
    log.info("wire proxy listening on {}", listener.localAddress());
    return this;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** The socket transport of the running server: {@code epoll} or {@code nio}. */
  public String transport() {
    return transport.name().toLowerCase(java.util.Locale.ROOT);
  }

  public String host() {
    return config.host();
  }

  /** Client connections currently open. */
  public int connections() {
    return connections.get();
  }

  /** Authenticated sessions, as {@code maxConnections} counts them. */
  public int sessions() {
    return slots.sessions();
  }

  /** Sockets that have not authenticated yet. */
  public int unauthenticated() {
    return slots.unauthenticated();
  }

  /**
   * Stops accepting, lets open sessions finish for up to the drain timeout, then closes the rest.
   */
  public synchronized void stop() {
    if (listener == null) {
      return;
    }
    listener.close().syncUninterruptibly();
    long deadline = System.nanoTime() + config.drainTimeout().toNanos();
    while (connections.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    clients.close().awaitUninterruptibly();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    blocking.shutdownNow();
    listener = null;
  }

  @Override
  public void close() {
    stop();
  }

  private SslContext sslContext() {
    if (!config.tlsEnabled()) {
      return null;
    }
    try {
      return SslContextBuilder.forServer(config.tlsCertificate().toFile(), config.tlsKey().toFile())
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "wire proxy TLS certificate `"
              + config.tlsCertificate()
              + "` or key `"
              + config.tlsKey()
              + "` cannot be used: "
              + e.getMessage(),
          e);
    }
  }
}
