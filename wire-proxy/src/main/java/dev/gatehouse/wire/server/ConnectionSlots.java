package dev.gatehouse.wire.server;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client sockets counted in two pools: authenticated sessions ({@code wire.maxConnections}) and
 * sockets still in startup, which hold only a small reserve of their own ({@code
 * quotas.unauthenticatedConnections}), of which one client address holds at most {@code
 * quotas.unauthenticatedPerAddress}. A socket that never authenticates therefore never takes a
 * session's slot, and one address opening sockets faster than others authenticate crowds out only
 * itself. When a bound is full, a socket (of that address, or of all) that has not yet sent its
 * token is closed to make room, so silent sockets cannot lock newcomers out until their startup
 * timeout: the oldest of those that have not finished their startup packet, and only when there is
 * none of those, the oldest of those asked for their token. A client that trickles its startup
 * packet (slowloris) therefore never displaces one whose handshake is under way, however fast it
 * opens sockets. A socket that is checking its token is never closed for room.
 */
final class ConnectionSlots {

  /** Why a new socket was refused, or null when it was taken in. */
  enum Refusal {
    RESERVE_FULL(
        "too many connections waiting to authenticate (quotas.unauthenticatedConnections);"
            + " try again"),
    ADDRESS_FULL(
        "too many connections from your address waiting to authenticate"
            + " (quotas.unauthenticatedPerAddress); let them finish and try again");

    final String message;

    Refusal(String message) {
      this.message = message;
    }
  }

  private static final String EVICTED =
      "too many connections waiting to authenticate: this one was the oldest that had not sent"
          + " its token (quotas.unauthenticatedConnections); connect again";
  private static final String EVICTED_FOR_ADDRESS =
      "too many connections from this address waiting to authenticate: this one was the oldest"
          + " that had not sent its token (quotas.unauthenticatedPerAddress); connect again";

  private final int maxSessions;
  private final int maxUnauthenticated;
  private final int perAddress;
  private final AtomicInteger sessions = new AtomicInteger();

  // The reserve's bookkeeping, under this object's lock: sockets arrive on every event loop.
  private int unauthenticated;
  private final Deque<Channel> silent = new ArrayDeque<>();
  private final Map<InetAddress, Integer> byAddress = new HashMap<>();
  private final Map<InetAddress, Deque<Channel>> silentByAddress = new HashMap<>();

  ConnectionSlots(int maxSessions, int maxUnauthenticated) {
    this(maxSessions, maxUnauthenticated, maxUnauthenticated);
  }

  ConnectionSlots(int maxSessions, int maxUnauthenticated, int perAddress) {
    this.maxSessions = maxSessions;
    this.maxUnauthenticated = maxUnauthenticated;
    this.perAddress = perAddress;
  }

  /**
   * A new socket: it takes an unauthenticated slot until it authenticates or closes. Null when it
   * was taken in; otherwise why the caller refuses it: its address, or the whole reserve, is full
   * of sockets that are all checking their token.
   */
  Refusal accepted(Channel channel) {
    State state = new State(address(channel));
    channel.attr(State.KEY).set(state);
    Channel evicted;
    String why;
    synchronized (this) {
      evicted = null;
      why = null;
      // An address bound as large as the reserve bounds nothing more: the reserve's message then.
      if (state.address != null
          && perAddress < maxUnauthenticated
          && byAddress.getOrDefault(state.address, 0) >= perAddress) {
        evicted = oldestSilent(silentByAddress.get(state.address));
        if (evicted == null) {
          return Refusal.ADDRESS_FULL;
        }
        why = EVICTED_FOR_ADDRESS;
      } else if (unauthenticated >= maxUnauthenticated) {
        evicted = oldestSilent(silent);
        if (evicted == null) {
          return Refusal.RESERVE_FULL;
        }
        why = EVICTED;
      }
      if (evicted != null) {
        // Told to go: uncounted at once (it will never be a session) and never chosen again.
        State going = evicted.attr(State.KEY).get();
        going.evicted = true;
        uncount(going);
        unlist(evicted, going);
      }
      state.counted = true;
      unauthenticated++;
      silent.addLast(channel);
      if (state.address != null) {
        byAddress.merge(state.address, 1, Integer::sum);
        silentByAddress.computeIfAbsent(state.address, a -> new ArrayDeque<>()).addLast(channel);
      }
    }
    channel.closeFuture().addListener(f -> closed(channel, state));
    if (evicted != null) {
      ByteBuf out = evicted.alloc().buffer();
      ErrorResponse.fatal(SqlState.TOO_MANY_CONNECTIONS, why).encode(out);
      evicted.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }
    return null;
  }

  /**
   * The socket sent its whole startup packet and was asked for its token: it is closed to make room
   * only after every socket still sending its startup packet.
   */
  synchronized void askedForToken(Channel channel) {
    State state = channel.attr(State.KEY).get();
    if (state != null) {
      state.asked = true;
    }
  }

  /** The socket sent its token: it is no longer closed to make room. */
  synchronized void authenticating(Channel channel) {
    State state = channel.attr(State.KEY).get();
    if (state != null) {
      unlist(channel, state);
    }
  }

  /**
   * The socket authenticated: it leaves the reserve and takes a session slot. False when every
   * session slot is taken, or the socket was closed to make room meanwhile.
   */
  boolean authenticated(Channel channel) {
    State state = channel.attr(State.KEY).get();
    if (state == null) {
      return false;
    }
    synchronized (this) {
      if (state.session) {
        return true;
      }
      if (state.evicted) {
        return false;
      }
      if (sessions.incrementAndGet() > maxSessions) {
        sessions.decrementAndGet();
        return false;
      }
      uncount(state);
      unlist(channel, state);
      state.session = true;
    }
    return true;
  }

  int sessions() {
    return sessions.get();
  }

  synchronized int unauthenticated() {
    return unauthenticated;
  }

  /** Sockets of {@code address} in startup now. */
  synchronized int unauthenticated(InetAddress address) {
    return byAddress.getOrDefault(address, 0);
  }

  private void closed(Channel channel, State state) {
    synchronized (this) {
      if (state.session) {
        state.session = false;
        sessions.decrementAndGet();
      }
      uncount(state);
      unlist(channel, state);
    }
  }

  /**
   * The socket of {@code candidates} to close for room: the oldest still open that has not finished
   * its startup packet, else the oldest still open that was asked for its token; null when all are
   * checking their token.
   */
  private static Channel oldestSilent(Deque<Channel> candidates) {
    if (candidates == null) {
      return null;
    }
    Channel asked = null;
    for (Channel c : candidates) {
      if (c.isActive()) {
        if (!c.attr(State.KEY).get().asked) {
          return c;
        }
        if (asked == null) {
          asked = c;
        }
      }
    }
    return asked;
  }

  /** {@code state}'s socket leaves the reserve (once): authenticated, closed or told to go. */
  private void uncount(State state) {
    if (!state.counted) {
      return;
    }
    state.counted = false;
    unauthenticated--;
    if (state.address != null) {
      byAddress.computeIfPresent(state.address, (a, n) -> n > 1 ? n - 1 : null);
    }
  }

  private void unlist(Channel channel, State state) {
    silent.remove(channel);
    if (state.address != null) {
      Deque<Channel> mine = silentByAddress.get(state.address);
      if (mine != null) {
        mine.remove(channel);
        if (mine.isEmpty()) {
          silentByAddress.remove(state.address);
        }
      }
    }
  }

  private static InetAddress address(Channel channel) {
    return channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
  }

  /** Per socket: which pool counts it, and its address. */
  private static final class State {
    static final AttributeKey<State> KEY = AttributeKey.valueOf("gatehouse.slots");
    final InetAddress address;
    boolean counted;
    boolean session;
    boolean evicted;
    boolean asked;

    State(InetAddress address) {
      this.address = address;
    }
  }
}
