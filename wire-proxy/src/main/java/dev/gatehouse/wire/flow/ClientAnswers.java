package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The client connection as a flow answers it: who it is, and what it is told, in the order it is
 * owed. One of the session's roles ({@link Session} implements them all).
 */
interface ClientAnswers {

  /** The authenticated connection: principal, database, connection id. */
  SessionInfo info();

  /** Sends the gateway's own answer after everything the client is still owed. */
  void answer(List<BackendMessage> messages);

  /** As {@link #answer(List)}, built when it is sent. */
  void answer(Supplier<List<BackendMessage>> messages);

  /**
   * Takes {@code step} once everything the client is still owed was answered (at once when nothing
   * is); also when the upstream skipped those answers after an error ({@link
   * Pending.Continuation}).
   */
  void then(Runnable step);

  /** An ERROR and, for a simple query or function call, the ReadyForQuery after it. */
  void error(SqlState state, String message, String detail, boolean ready);

  /** Sends a message now (the caller keeps the order). */
  void send(BackendMessage message);

  /** Relays a frame as its original bytes. */
  void send(Frame frame);

  /** Writes bytes the gateway built (a masked row, a converted COPY line). */
  void send(ByteBuf bytes);

  /** Where the bytes sent to the client are allocated. */
  ByteBufAllocator alloc();

  /** Sends what the client was written so far (a notice it must see while it waits). */
  void flushClient();

  /** FATAL: tell the client why, then close its connection (and only it). */
  void fatal(SqlState state, String message);

  /** The upstream answered a statement the analysis did not see: the connection ends. */
  void hiddenStatement();

  /**
   * Rows came of a result whose columns the gateway does not know (no RowDescription, and no
   * Describe it could make): none of them may go out unmasked, so the connection is closed.
   */
  void undescribedResult();

  /** Relays the upstream's ReadyForQuery with the status the client must see. */
  void readyForQuery(Frame frame);

  /** The upstream sent CopyInResponse: it takes copy data from the client now. */
  void copyInStarted();

  /** The upstream ended a copy from the client (its answer or an error). */
  void copyInEnded();
}
