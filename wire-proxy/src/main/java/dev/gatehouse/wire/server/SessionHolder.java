package dev.gatehouse.wire.server;

import dev.gatehouse.wire.flow.Session;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.upstream.UpstreamConnection;

/** Lets the upstream reach the session that is created only once the upstream is ready. */
final class SessionHolder implements UpstreamConnection.Listener {
  Session session;

  @Override
  public void upstreamFrame(Frame frame) {
    if (session == null) {
      frame.release();
    } else {
      session.upstreamFrame(frame);
    }
  }

  @Override
  public void upstreamReadComplete() {
    if (session != null) {
      session.upstreamReadComplete();
    }
  }

  @Override
  public void upstreamWritabilityChanged(boolean writable) {
    if (session != null) {
      session.upstreamWritabilityChanged(writable);
    }
  }

  @Override
  public void upstreamClosed(UpstreamConnection connection) {
    if (session != null) {
      session.upstreamClosed(connection);
    }
  }
}
