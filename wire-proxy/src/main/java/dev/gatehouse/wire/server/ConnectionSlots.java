package dev.gatehouse.wire.server;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client sockets counted in two pools: authenticated sessions ({@code wire.maxConnections}) and
 * sockets still in startup, which hold only a small reserve of their own ({@code
 * quotas.unauthenticatedConnections}). A socket that never authenticates therefore never takes a
 * session's slot. When the reserve is full, the oldest socket that has not yet sent its token is
 * closed to make room, so silent sockets cannot lock newcomers out until their startup timeout.
 */
final class ConnectionSlots {

  private final int maxSessions;
  private final int maxUnauthenticated;
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicInteger unauthenticated = new AtomicInteger();
  private final Deque<Channel> silent = new ConcurrentLinkedDeque<>();

  ConnectionSlots(int maxSessions, int maxUnauthenticated) {
    this.maxSessions = maxSessions;
    this.maxUnauthenticated = maxUnauthenticated;
  }

  /**
   * A new socket: it takes an unauthenticated slot until it authenticates or closes. False when the
   * reserve is full of sockets that are all authenticating: the caller refuses it.
   */
  boolean accepted(Channel channel) {
    State state = new State();
    channel.attr(State.KEY).set(state);
    channel.closeFuture().addListener(f -> closed(channel, state));
    if (unauthenticated.incrementAndGet() > maxUnauthenticated && !evictOldestSilent()) {
      unauthenticated.decrementAndGet();
      state.counted = false;
      return false;
    }
    silent.addLast(channel);
    return true;
  }

  /** The socket sent its token: it is no longer evicted to make room. */
  void authenticating(Channel channel) {
    silent.remove(channel);
  }

  /**
   * The socket authenticated: it leaves the reserve and takes a session slot. False when every
   * session slot is taken (the socket still counts as unauthenticated until it closes).
   */
  boolean authenticated(Channel channel) {
    State state = channel.attr(State.KEY).get();
    if (state == null || state.session) {
      return state != null;
    }
    if (sessions.incrementAndGet() > maxSessions) {
      sessions.decrementAndGet();
      return false;
    }
    silent.remove(channel);
    synchronized (state) {
      state.session = true;
      if (state.counted) {
        state.counted = false;
        unauthenticated.decrementAndGet();
      }
    }
    return true;
  }

  int sessions() {
    return sessions.get();
  }

  int unauthenticated() {
    return unauthenticated.get();
  }

  private void closed(Channel channel, State state) {
    silent.remove(channel);
    synchronized (state) {
      if (state.session) {
        state.session = false;
        sessions.decrementAndGet();
      } else if (state.counted) {
        state.counted = false;
        unauthenticated.decrementAndGet();
      }
    }
  }

  private boolean evictOldestSilent() {
    Channel oldest;
    while ((oldest = silent.pollFirst()) != null) {
      if (oldest.isActive()) {
        ByteBuf out = oldest.alloc().buffer();
        ErrorResponse.fatal(
                SqlState.TOO_MANY_CONNECTIONS,
                "too many connections waiting to authenticate: this one was the oldest that had"
                    + " not sent its token (quotas.unauthenticatedConnections); connect again")
            .encode(out);
        oldest.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        // Its slot is given back when it closes; the newcomer may run one over until then.
        return true;
      }
    }
    return false;
  }

  /** Per socket: which pool counts it. */
  private static final class State {
    static final io.netty.util.AttributeKey<State> KEY =
        io.netty.util.AttributeKey.valueOf("gatehouse.slots");
    boolean counted = true;
    boolean session;
  }
}
