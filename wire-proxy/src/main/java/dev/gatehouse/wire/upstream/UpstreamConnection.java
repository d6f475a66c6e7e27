package dev.gatehouse.wire.upstream;

import dev.gatehouse.engine.upstream.UpstreamTarget;
import dev.gatehouse.wire.net.Transport;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.FrameDecoder;
import dev.gatehouse.wire.protocol.FrameWriter;
import dev.gatehouse.wire.protocol.backend.BackendKeyData;
import dev.gatehouse.wire.protocol.backend.ParameterStatus;
import dev.gatehouse.wire.protocol.frontend.CancelRequest;
import dev.gatehouse.wire.protocol.frontend.FrontendMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection to PostgreSQL as one upstream role, on the client's event loop so that relaying
 * needs no locks and no thread hops. Auto-read is off: the session reads only when the client can
 * take more.
 */
public final class UpstreamConnection {

  /** Where the upstream's frames and events go once it is ready. */
  public interface Listener {
    void upstreamFrame(Frame frame);

    void upstreamReadComplete();

    void upstreamWritabilityChanged(boolean writable);

    void upstreamClosed(UpstreamConnection connection);
  }

  /**
   * How long connecting and the upstream's startup may take when the client's channel sets none.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The wire proxy's {@code upstreamTimeout}, set on each client channel by the server: every
   * connection a session opens (at startup, on a role switch, for an approved run) is bounded by it
   * without each flow carrying the setting.
   */
  public static final AttributeKey<Duration> TIMEOUT =
      AttributeKey.valueOf("gatehouse.upstreamTimeout");

  private final Channel channel;
  private final FrameWriter out;
  private final UpstreamTarget target;
  private final String role;
  private final List<ParameterStatus> parameters;
  private final BackendKeyData key;

  private UpstreamConnection(
      Channel channel, UpstreamTarget target, String role, UpstreamStartupFlow.Ready ready) {
    this.channel = channel;
    this.out = new FrameWriter(channel);
    this.target = target;
    this.role = role;
    this.parameters = ready.parameters();
    this.key = ready.key();
  }

  /**
   * Connects and authenticates on the event loop (and transport) of {@code client}; completes on
   * that loop, failing with a message safe to show. A connection whose TCP connect and startup do
   * not finish within the client channel's {@link #TIMEOUT} fails with a message that names the
   * upstream: a hung upstream host must not hold the client until its own timeouts fire.
   */
  public static CompletableFuture<UpstreamConnection> open(
      Channel client,
      UpstreamTarget target,
      String role,
      Map<String, String> runtimeParameters,
      Listener listener) {
    CompletableFuture<UpstreamConnection> result = new CompletableFuture<>();
    Duration timeout = timeout(client);
    dev.gatehouse.engine.quota.Quotas.Permit permit;
    try {
      permit = UpstreamQuota.acquire(client, role);
    } catch (dev.gatehouse.engine.quota.QuotaExceeded e) {
      return CompletableFuture.failedFuture(e);
    }
    // The slot is the socket's: given back however the connection ends, once.
    result.whenComplete(
        (c, error) -> {
          if (error != null) {
            permit.close();
          }
        });
    Bootstrap bootstrap =
        new Bootstrap()
            .group(client.eventLoop())
            .channel(Transport.of(client).socketChannel())
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.TCP_NODELAY, true)
            // The timer below ends a hung connect first, with the message that names the upstream.
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, timeout.toMillis() + 1000))
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new FrameDecoder(Integer.MAX_VALUE, true))
                        .addLast(new Handler(target, role, runtimeParameters, listener, result));
                  }
                });
    ChannelFuture connecting = bootstrap.connect(target.host(), target.port());
    ScheduledFuture<?> timer =
        client
            .eventLoop()
            .schedule(
                () -> {
                  if (result.completeExceptionally(
                      new UpstreamStartupFlow.Failed(timedOut(target, timeout)))) {
                    connecting.channel().close();
                  }
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    result.whenComplete((connection, error) -> timer.cancel(false));
    connecting.channel().closeFuture().addListener(f -> permit.close());
    connecting.addListener(
        (ChannelFutureListener)
            f -> {
              if (!f.isSuccess()) {
                result.completeExceptionally(
                    new UpstreamStartupFlow.Failed(
                        "cannot reach the upstream database at "
                            + target.host()
                            + ":"
                            + target.port()));
              }
            });
    return result;
  }

  private static Duration timeout(Channel client) {
    Duration configured = client.attr(TIMEOUT).get();
    return configured == null ? DEFAULT_TIMEOUT : configured;
  }

  static String timedOut(UpstreamTarget target, Duration timeout) {
    return "no answer from the upstream database at "
        + target.host()
        + ":"
        + target.port()
        + " (database `"
        + target.database()
        + "`, role `"
        + target.user()
        + "`) within "
        + seconds(timeout)
        + "; nothing ran, try again later";
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** Sends a CancelRequest for this connection's backend on a new connection of its own. */
  public void cancel() {
    CancelRequest request = new CancelRequest(key.processId(), key.secretKey());
    new Bootstrap()
        .group(channel.eventLoop())
        .channel(Transport.of(channel).socketChannel())
        .handler(new ChannelInboundHandlerAdapter())
        .connect(target.host(), target.port())
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess()) {
                    ByteBuf out = f.channel().alloc().buffer(16);
                    request.encode(out);
                    f.channel().writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                  }
                });
  }

  /** Relays a client frame as its original bytes (joined with the frames next to it). */
  public void write(Frame frame) {
    out.write(frame);
  }

  public void write(FrontendMessage message) {
    ByteBuf bytes = channel.alloc().buffer();
    message.encode(bytes);
    out.write(bytes);
  }

  public void flush() {
    out.flush();
  }

  public void read() {
    channel.read();
  }

  public boolean isWritable() {
    return channel.isWritable();
  }

  public boolean isActive() {
    return channel.isActive();
  }

  public void close() {
    out.discard();
    channel.close();
  }

  public String role() {
    return role;
  }

  public List<ParameterStatus> parameters() {
    return parameters;
  }

  private static final class Handler extends ChannelInboundHandlerAdapter {
    private final UpstreamTarget target;
    private final String role;
    private final Map<String, String> runtimeParameters;
    private final Listener listener;
    private final CompletableFuture<UpstreamConnection> result;
    private UpstreamStartupFlow startup;
    private UpstreamConnection ready;

    Handler(
        UpstreamTarget target,
        String role,
        Map<String, String> runtimeParameters,
        Listener listener,
        CompletableFuture<UpstreamConnection> result) {
      this.target = target;
      this.role = role;
      this.runtimeParameters = runtimeParameters;
      this.listener = listener;
      this.result = result;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      startup =
          new UpstreamStartupFlow(
              target,
              m -> {
                ByteBuf out = ctx.alloc().buffer();
                m.encode(out);
                ctx.writeAndFlush(out);
              });
      ByteBuf out = ctx.alloc().buffer();
      startup.startupMessage(runtimeParameters).encode(out);
      ctx.writeAndFlush(out);
      ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Frame frame = (Frame) msg;
      if (ready != null) {
        listener.upstreamFrame(frame);
        return;
      }
      try {
        UpstreamStartupFlow.Ready done = startup.onMessage(frame);
        if (done != null) {
          ready = new UpstreamConnection(ctx.channel(), target, role, done);
          result.complete(ready);
        }
      } catch (UpstreamStartupFlow.Failed e) {
        result.completeExceptionally(e);
        ctx.close();
      } catch (RuntimeException e) {
        result.completeExceptionally(new UpstreamStartupFlow.Failed(e.getMessage()));
        ctx.close();
      } finally {
        // Startup messages are decoded here and never handed on.
        frame.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (ready == null) {
        ctx.read();
      } else {
        listener.upstreamReadComplete();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ready != null) {
        listener.upstreamWritabilityChanged(ctx.channel().isWritable());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!result.isDone()) {
        result.completeExceptionally(
            new UpstreamStartupFlow.Failed("the upstream database closed the connection"));
      } else if (ready != null) {
        ready.out.discard();
        listener.upstreamClosed(ready);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
