package dev.gatehouse.wire.server;

import dev.gatehouse.wire.upstream.UpstreamConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything the wire proxy needs to know, validated and defaulted here and immutable once the
 * server starts.
 *
 * @param host the address to listen on
 * @param port the port to listen on, 0 for any free port
 * @param tlsCertificate PEM certificate chain for TLS, or null to run without TLS
 * @param tlsKey PEM PKCS#8 private key of the certificate, or null
 * @param plaintextPasswordOnLoopback accept the token over plain TCP from loopback clients
 * @param maxConnections authenticated sessions beyond this get FATAL 53300 (sockets still in
 *     startup are counted apart, see {@code quotas.unauthenticatedConnections})
 * @param maxMessageSize the largest client message accepted, in bytes
 * @param startupTimeout how long a client may take from connect to authenticated
 * @param upstreamTimeout how long connecting to PostgreSQL (TCP connect and its startup) may take
 *     before the client is told the upstream did not answer
 * @param idleTimeout an idle client connection is closed after this, zero for never
 * @param approvalWait how long a statement waits for an approval before it is refused
 * @param drainTimeout how long {@code stop()} waits for sessions to end before closing them
 * @param eventLoopThreads event loop threads, 0 for one per core
 * @param oauthBearer PostgreSQL 18's OAUTHBEARER SASL mechanism, or null to take the token only as
 *     the password
 */
public record WireProxyConfig(
    String host,
    int port,
    Path tlsCertificate,
    Path tlsKey,
    boolean plaintextPasswordOnLoopback,
    int maxConnections,
    int maxMessageSize,
    Duration startupTimeout,
    Duration upstreamTimeout,
    Duration idleTimeout,
    Duration approvalWait,
    Duration drainTimeout,
    int eventLoopThreads,
    Clock clock,
    OAuthBearerConfig oauthBearer) {

  public static final int DEFAULT_PORT = 6432;

  /** Without OAUTHBEARER: the token is taken as the password only. */
  public WireProxyConfig(
      String host,
      int port,
      Path tlsCertificate,
      Path tlsKey,
      boolean plaintextPasswordOnLoopback,
      int maxConnections,
      int maxMessageSize,
      Duration startupTimeout,
      Duration upstreamTimeout,
      Duration idleTimeout,
      Duration approvalWait,
      Duration drainTimeout,
      int eventLoopThreads,
      Clock clock) {
    this(
        host,
        port,
        tlsCertificate,
        tlsKey,
        plaintextPasswordOnLoopback,
        maxConnections,
        maxMessageSize,
        startupTimeout,
        upstreamTimeout,
        idleTimeout,
        approvalWait,
        drainTimeout,
        eventLoopThreads,
        clock,
        null);
  }

  public WireProxyConfig {
    host = host == null || host.isBlank() ? "127.0.0.1" : host;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "wire proxy `port` " + port + " is out of range; use 0 to 65535");
    }
    if ((tlsCertificate == null) != (tlsKey == null)) {
      throw new IllegalArgumentException(
          "wire proxy TLS needs both `tlsCertificate` and `tlsKey`; set both or neither");
    }
    if (tlsCertificate != null && !Files.isReadable(tlsCertificate)) {
      throw new IllegalArgumentException(
          "wire proxy `tlsCertificate` `" + tlsCertificate + "` is not a readable file");
    }
    if (tlsKey != null && !Files.isReadable(tlsKey)) {
      throw new IllegalArgumentException(
          "wire proxy `tlsKey` `" + tlsKey + "` is not a readable file");
    }
    maxConnections = positiveOr(maxConnections, 1000, "maxConnections");
    maxMessageSize = positiveOr(maxMessageSize, 64 * 1024 * 1024, "maxMessageSize");
    startupTimeout = durationOr(startupTimeout, Duration.ofSeconds(30), "startupTimeout");
    upstreamTimeout =
        durationOr(upstreamTimeout, UpstreamConnection.DEFAULT_TIMEOUT, "upstreamTimeout");
    if (upstreamTimeout.isZero()) {
      throw new IllegalArgumentException(
          "wire proxy `upstreamTimeout` must be positive; leave it out for the default "
              + UpstreamConnection.DEFAULT_TIMEOUT.toSeconds()
              + "s");
    }
    idleTimeout = durationOr(idleTimeout, Duration.ZERO, "idleTimeout");
    approvalWait = durationOr(approvalWait, Duration.ofMinutes(15), "approvalWait");
    drainTimeout = durationOr(drainTimeout, Duration.ofSeconds(30), "drainTimeout");
    if (eventLoopThreads < 0) {
      throw new IllegalArgumentException(
          "wire proxy `eventLoopThreads` must not be negative; use 0 for one per core");
    }
    clock = clock == null ? Clock.systemUTC() : clock;
  }

  /** Defaults for everything but where to listen; TLS off, plaintext allowed on loopback. */
  public static WireProxyConfig defaults(String host, int port) {
    return new WireProxyConfig(
        host, port, null, null, true, 0, 0, null, null, null, null, null, 0, null);
  }

  public boolean tlsEnabled() {
    return tlsCertificate != null;
  }

  public WireProxyConfig withTls(Path certificate, Path key, boolean plaintextOnLoopback) {
    return new WireProxyConfig(
        host,
        port,
        certificate,
        key,
        plaintextOnLoopback,
        maxConnections,
        maxMessageSize,
        startupTimeout,
        upstreamTimeout,
        idleTimeout,
        approvalWait,
        drainTimeout,
        eventLoopThreads,
        clock,
        oauthBearer);
  }

  public WireProxyConfig withLimits(
      int maxConnections, int maxMessageSize, Duration startupTimeout, Duration idleTimeout) {
    return new WireProxyConfig(
        host,
        port,
        tlsCertificate,
        tlsKey,
        plaintextPasswordOnLoopback,
        maxConnections,
        maxMessageSize,
        startupTimeout,
        upstreamTimeout,
        idleTimeout,
        approvalWait,
        drainTimeout,
        eventLoopThreads,
        clock,
        oauthBearer);
  }

  public WireProxyConfig withUpstreamTimeout(Duration upstreamTimeout) {
    return new WireProxyConfig(
        host,
        port,
        tlsCertificate,
        tlsKey,
        plaintextPasswordOnLoopback,
        maxConnections,
        maxMessageSize,
        startupTimeout,
        upstreamTimeout,
        idleTimeout,
        approvalWait,
        drainTimeout,
        eventLoopThreads,
        clock,
        oauthBearer);
  }

  public WireProxyConfig withOAuthBearer(OAuthBearerConfig oauthBearer) {
    return new WireProxyConfig(
        host,
        port,
        tlsCertificate,
        tlsKey,
        plaintextPasswordOnLoopback,
        maxConnections,
        maxMessageSize,
        startupTimeout,
        upstreamTimeout,
        idleTimeout,
        approvalWait,
        drainTimeout,
        eventLoopThreads,
        clock,
        oauthBearer);
  }

  private static int positiveOr(int value, int fallback, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(
          "wire proxy `" + field + "` must be positive; use 0 for the default " + fallback);
    }
    return value == 0 ? fallback : value;
  }

  private static Duration durationOr(Duration value, Duration fallback, String field) {
    if (value == null) {
      return fallback;
    }
    if (value.isNegative()) {
      throw new IllegalArgumentException(
          "wire proxy `" + field + "` must not be negative; use 0 or leave it out");
    }
    return value;
  }
}
