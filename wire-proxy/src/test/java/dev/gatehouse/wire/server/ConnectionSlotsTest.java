package dev.gatehouse.wire.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The startup reserve and its per-address bound, on channels that claim a client address. */
class ConnectionSlotsTest {

  private final ConnectionSlots slots = new ConnectionSlots(100, 6, 3);

  private static EmbeddedChannel from(String ip) throws UnknownHostException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(ip), 40_000);
    return new EmbeddedChannel() {
      @Override
      protected SocketAddress remoteAddress0() {
        return address;
      }
    };
  }

  private List<EmbeddedChannel> open(String ip, int n) throws UnknownHostException {
    List<EmbeddedChannel> opened = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      EmbeddedChannel c = from(ip);
      assertThat(slots.accepted(c)).isNull();
      opened.add(c);
    }
    return opened;
  }

  private static InetAddress ip(String ip) throws UnknownHostException {
    return InetAddress.getByName(ip);
  }

  @Test
  void anAddressAtItsBoundMakesRoomWithItsOwnOldestSilentSocketOnly() throws Exception {
    List<EmbeddedChannel> other = open("127.0.0.3", 2);
    List<EmbeddedChannel> flood = open("127.0.0.2", 3);
    EmbeddedChannel newcomer = from("127.0.0.2");
    assertThat(slots.accepted(newcomer)).isNull();
    assertThat(flood.get(0).isActive()).isFalse();
    ErrorResponse told = ClientHandlerTest.error(flood.get(0));
    assertThat(told.sqlState()).isEqualTo("53300");
    assertThat(told.message()).contains("quotas.unauthenticatedPerAddress");
    assertThat(flood.subList(1, 3)).allMatch(EmbeddedChannel::isActive);
    assertThat(other).allMatch(EmbeddedChannel::isActive);
    assertThat(slots.unauthenticated(ip("127.0.0.2"))).isEqualTo(3);
    assertThat(slots.unauthenticated()).isEqualTo(5);
  }

  @Test
  void anAddressWhoseSocketsAreAllCheckingTheirTokenIsRefusedAndOthersAreNot() throws Exception {
    List<EmbeddedChannel> flood = open("127.0.0.2", 3);
    flood.forEach(slots::authenticating);
    assertThat(slots.accepted(from("127.0.0.2"))).isEqualTo(ConnectionSlots.Refusal.ADDRESS_FULL);
    assertThat(flood).allMatch(EmbeddedChannel::isActive);
    assertThat(slots.accepted(from("127.0.0.4"))).isNull();
    // One authenticates: its address has room again.
    assertThat(slots.authenticated(flood.get(0))).isTrue();
    assertThat(slots.accepted(from("127.0.0.2"))).isNull();
    assertThat(slots.sessions()).isEqualTo(1);
  }

  @Test
  void aFullReserveStillClosesTheOldestSilentSocketOfAnyAddress() throws Exception {
    List<EmbeddedChannel> a = open("127.0.0.2", 3);
    List<EmbeddedChannel> b = open("127.0.0.3", 3);
    assertThat(slots.accepted(from("127.0.0.4"))).isNull();
    assertThat(a.get(0).isActive()).isFalse();
    assertThat(ClientHandlerTest.error(a.get(0)).message())
        .contains("quotas.unauthenticatedConnections");
    assertThat(b).allMatch(EmbeddedChannel::isActive);
    assertThat(slots.unauthenticated()).isEqualTo(6);
  }

  @Test
  void closedAndEvictedSocketsGiveEveryCountBack() throws Exception {
    List<EmbeddedChannel> flood = open("127.0.0.2", 3);
    EmbeddedChannel newcomer = from("127.0.0.2");
    slots.accepted(newcomer); // evicts the oldest
    assertThat(slots.authenticated(flood.get(0))).isFalse(); // told to go: never a session
    flood.forEach(EmbeddedChannel::close);
    newcomer.close();
    assertThat(slots.unauthenticated()).isZero();
    assertThat(slots.unauthenticated(ip("127.0.0.2"))).isZero();
    assertThat(slots.sessions()).isZero();
  }

  @Test
  void aSocketAskedForItsTokenOutlivesEveryOlderSocketStillSendingItsStartupPacket()
      throws Exception {
    EmbeddedChannel handshaking = open("127.0.0.5", 1).get(0);
    slots.askedForToken(handshaking);
    List<EmbeddedChannel> trickling = open("127.0.0.2", 3);
    List<EmbeddedChannel> more = open("127.0.0.3", 2);
    // The reserve (6) is full: each newcomer closes a trickling socket, oldest first.
    for (int i = 0; i < 5; i++) {
      assertThat(slots.accepted(from("127.0.1." + i))).isNull();
      assertThat(handshaking.isActive()).as("after newcomer %d", i).isTrue();
    }
    assertThat(trickling).noneMatch(EmbeddedChannel::isActive);
    assertThat(more).noneMatch(EmbeddedChannel::isActive);
    // Now only the newcomers (not asked) and the handshaking socket: a newcomer still goes first.
    assertThat(slots.accepted(from("127.0.0.6"))).isNull();
    assertThat(handshaking.isActive()).isTrue();
  }

  @Test
  void whenEverySilentSocketWasAskedForItsTokenTheOldestOfThemMakesRoom() throws Exception {
    List<EmbeddedChannel> asked = open("127.0.0.2", 3);
    asked.forEach(slots::askedForToken);
    List<EmbeddedChannel> alsoAsked = open("127.0.0.3", 3);
    alsoAsked.forEach(slots::askedForToken);
    assertThat(slots.accepted(from("127.0.0.4"))).isNull();
    assertThat(asked.get(0).isActive()).isFalse();
    assertThat(asked.subList(1, 3)).allMatch(EmbeddedChannel::isActive);
    assertThat(alsoAsked).allMatch(EmbeddedChannel::isActive);
  }

  @Test
  void anAddressAtItsBoundClosesItsOwnTricklingSocketBeforeItsOwnHandshake() throws Exception {
    List<EmbeddedChannel> mine = open("127.0.0.2", 3);
    slots.askedForToken(mine.get(0));
    assertThat(slots.accepted(from("127.0.0.2"))).isNull();
    assertThat(mine.get(0).isActive()).isTrue();
    assertThat(mine.get(1).isActive()).isFalse();
    assertThat(ClientHandlerTest.error(mine.get(1)).message())
        .contains("quotas.unauthenticatedPerAddress");
  }
}
