package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.server.WireProxyConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.Unpooled;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What goes wrong on the network: upstream gone, malformed and oversized frames, huge results. */
class FaultsIT {

  private static final Logger log = LoggerFactory.getLogger(FaultsIT.class);
  static final int MAX_MESSAGE = 1024 * 1024;
  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy =
        new ProxyFixture(
            WireProxyConfig.defaults("127.0.0.1", 0).withLimits(0, MAX_MESSAGE, null, null));
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void upstreamTerminatedMidSessionGivesACleanErrorAndNewConnectionsWork() throws Exception {
    String app = "faults-" + System.nanoTime();
    try (Connection c =
            proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "ApplicationName=" + app);
        Statement s = c.createStatement()) {
      s.executeQuery("SELECT 1").close();
      try (Connection admin = TestPostgres.get().connectAsAdmin("postgres");
          Statement a = admin.createStatement();
          ResultSet rs =
              a.executeQuery(
                  "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                      + " WHERE application_name = '"
                      + app
                      + "'")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
      assertThatThrownBy(() -> s.executeQuery("SELECT 1"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> log.info("client saw: {}", e.getMessage()));
    }
    try (Connection c = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 2")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }
  }

  @Test
  void malformedFrameIsFatalForThatConnectionOnly() throws Exception {
    try (Connection other = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "");
        RawClient raw =
            RawClient.login(
                proxy.server.port(),
                "analyst",
                TestPostgres.SHOP,
                ProxyFixture.token(ReferencePrincipal.ANALYST))) {
      // A Query whose declared length (2) is shorter than its own length field.
      raw.sendRaw(Unpooled.buffer().writeByte('Q').writeInt(2));
      ErrorResponse e = (ErrorResponse) raw.next();
      assertThat(e.sqlState()).isEqualTo("08P01");
      assertThat(e.fields().get('S')).isEqualTo("FATAL");
      assertThat(raw.closedByServer()).isTrue();
      try (Statement s = other.createStatement();
          ResultSet rs = s.executeQuery("SELECT 3")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void unknownMessageTypeIsFatal() throws Exception {
    try (RawClient raw =
        RawClient.login(
            proxy.server.port(),
            "analyst",
            TestPostgres.SHOP,
            ProxyFixture.token(ReferencePrincipal.ANALYST))) {
      raw.sendRaw(Unpooled.buffer().writeByte('!').writeInt(4));
      ErrorResponse e = (ErrorResponse) raw.next();
      assertThat(e.sqlState()).isEqualTo("08P01");
      assertThat(e.message()).contains("message type `!`");
    }
  }

  @Test
  void oversizedFrameIsFatalForThatConnectionOnly() throws Exception {
    try (Connection other = proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "");
        Connection big =
            proxy.connect(ReferencePrincipal.ANALYST, TestPostgres.SHOP, "preferQueryMode=simple");
        Statement s = big.createStatement()) {
      String literal = "x".repeat(2 * MAX_MESSAGE);
      assertThatThrownBy(() -> s.executeQuery("SELECT '" + literal + "'"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("08P01", "08006"));
      try (Statement o = other.createStatement();
          ResultSet rs = o.executeQuery("SELECT 4")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  /**
   * About 300 MB of rows through the proxy to a client that reads slowly: the proxy reads upstream
   * only as fast as the client takes it, so its buffer memory stays small.
   */
  @Test
  void largeResultStreamsInBoundedMemory() throws Exception {
    int rows = 300_000;
    ByteBufAllocatorMetric metric =
        ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
    AtomicLong peak = new AtomicLong();
    Thread sampler =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    long used = metric.usedDirectMemory() + metric.usedHeapMemory();
                    peak.accumulateAndGet(used, Math::max);
                    try {
                      Thread.sleep(5); // the sampling period of a measurement, not a wait
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    long before = metric.usedDirectMemory() + metric.usedHeapMemory();
    long bytes = 0;
    long dataRows = 0;
    long pauseStart = 0;
    long pauseEnd = 0;
    long start = System.nanoTime();
    try (RawClient raw =
        RawClient.login(
            proxy.server.port(),
            "analyst",
            TestPostgres.SHOP,
            ProxyFixture.token(ReferencePrincipal.ANALYST))) {
      raw.socket.setReceiveBufferSize(64 * 1024);
      raw.send(new Query("SELECT i, repeat('x', 1000) FROM generate_series(1, " + rows + ") i"));
      while (true) {
        byte type = raw.in.readByte();
        int length = raw.in.readInt();
        raw.in.skipNBytes(length - 4);
        bytes += length + 1;
        if (type == 'D') {
          dataRows++;
          if (dataRows % 20_000 == 0) {
            Thread.sleep(20); // a slow client: the fault under test, not a wait
          }
          if (dataRows == 50_000) {
            // The client stops reading for two seconds: the proxy must stop reading upstream.
            pauseStart = metric.usedDirectMemory() + metric.usedHeapMemory();
            Thread.sleep(2000); // the client stops reading: the fault under test
            pauseEnd = metric.usedDirectMemory() + metric.usedHeapMemory();
          }
        }
        if (type == 'Z') {
          break;
        }
      }
    } finally {
      sampler.interrupt();
    }
    Thread.sleep(500); // lets freed buffers settle before the memory is measured (no event says so)
    long after = metric.usedDirectMemory() + metric.usedHeapMemory();
    long seconds = Math.max(1, (System.nanoTime() - start) / 1_000_000_000L);
    long peakMb = (peak.get() - before) / (1024 * 1024);
    long growthWhilePausedMb = (pauseEnd - pauseStart) / (1024 * 1024);
    log.info(
        "streamed {} MB ({} rows) in ~{} s; Netty allocator {} reports peak {} MB above a"
            + " baseline of {} MB, {} MB growth during a 2 s client pause, {} MB after the run",
        bytes / (1024 * 1024),
        dataRows,
        seconds,
        ByteBufAllocator.DEFAULT.getClass().getSimpleName(),
        peakMb,
        before / (1024 * 1024),
        growthWhilePausedMb,
        after / (1024 * 1024));
    assertThat(dataRows).isEqualTo(rows);
    assertThat(bytes).isGreaterThan(300L * 1000 * 1000);
    // While the client reads nothing, the proxy reads (almost) nothing from the upstream.
    assertThat(growthWhilePausedMb).isLessThan(16);
    // In flight, the proxy holds a few reads' worth of the result, never the result.
    assertThat(peakMb).isLessThan(32);
    // Nothing of the result is retained once it went through.
    assertThat((after - before) / (1024 * 1024)).isLessThan(16);
  }
}
