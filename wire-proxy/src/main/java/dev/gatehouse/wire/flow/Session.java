package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.Gate;
import dev.gatehouse.engine.admission.Admitted;
import dev.gatehouse.engine.admission.AwaitingApproval;
import dev.gatehouse.engine.admission.Refused;
import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import dev.gatehouse.wire.protocol.Frame;
import dev.gatehouse.wire.protocol.FrameWriter;
import dev.gatehouse.wire.protocol.ProtocolViolation;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.backend.ReadyForQuery;
import dev.gatehouse.wire.upstream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated client connection after startup: the client's messages in order, the upstream
 * connection, and the queue of answers the client is owed. Everything runs on the connection's
 * event loop; asynchronous steps (audit durability, approvals, connecting upstream) suspend the
 * reading of client messages and resume on the loop.
 */
public final class Session implements UpstreamConnection.Listener {

  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private final Gate gate;
  private final SessionInfo info;
  private final io.netty.channel.Channel client;

  /** Every write to the client goes through here, so relayed frames can be joined in order. */
  private final FrameWriter clientOut;

  private final Clock clock;

  /**
   * Where calls that may wait run (admission, which may parse for up to its deadline), never the
   * event loop.
   */
  private final java.util.concurrent.Executor blocking;

  /** The principal's running-statement slot, held while a statement starts or is answered. */
  private final RunningSlot running;

  private final Owed pending;
  private final PreparedStatements prepared = new PreparedStatements();

  /** Rows each portal and SQL cursor delivered, for the row limit. */
  private final RowBudget budget = new RowBudget();

  /** search_path and SQL cursors, so the next statement is analysed as PostgreSQL will run it. */
  private final SessionSettings settings = new SessionSettings();

  private final SimpleQueryFlow simple;
  private final ExtendedQueryFlow extended;
  private final ApprovalFlow approvals;
  private final UpstreamRelay relay;
  private final TransactionGuard transaction = new TransactionGuard();

  /**
   * The statement and portal name of the gateway's own control statements on this connection: a
   * client cannot guess it, so it never holds a statement of that name (red-team round 9: a client
   * statement named `gatehouse_blast` made every later bounded write hang).
   */
  private final String controlName =
      "gatehouse_"
          + java.util.HexFormat.of()
              .formatHex(
                  java.nio.ByteBuffer.allocate(8)
                      .putLong(new java.security.SecureRandom().nextLong())
                      .array());

  private final ResultHold hold;

  /**
   * The session as its flows see it: one object per role ({@link Pacing}, {@link ClientAnswers},
   * {@link UpstreamSide}, {@link SessionState}, {@link Admitting}); no flow reaches this class.
   */
  private final Roles roles = new Roles();

  private final UpstreamSwitch switcher;
  private final ArrayDeque<Frame> inbox = new ArrayDeque<>();

  /** A Flush went upstream for the answers a waiting Query or FunctionCall needs first. */
  private boolean flushAsked;

  /**
   * The upstream is in COPY FROM STDIN mode (it sent CopyInResponse) and the client has not ended
   * the copy yet: PostgreSQL then reads only CopyData, CopyDone and CopyFail, ignores Sync and
   * Flush, and ends the connection on anything else.
   */
  private boolean copyIn;

  private UpstreamConnection upstream;
  private boolean suspended;
  private boolean draining;
  private boolean closed;
  private boolean started;

  public Session(
      Gate gate,
      SessionInfo info,
      io.netty.channel.Channel client,
      Clock clock,
      Duration approvalWait,
      java.util.concurrent.Executor blocking) {
    this.gate = gate;
    this.blocking = blocking;
    this.info = info;
    this.client = client;
    this.clientOut = new FrameWriter(client);
    this.running = new RunningSlot(dev.gatehouse.wire.upstream.UpstreamQuota.of(client));
    this.pending = new Owed(running);
    this.clock = clock;
    this.simple = new SimpleQueryFlow(roles);
    this.extended = new ExtendedQueryFlow(roles);
    this.approvals = new ApprovalFlow(roles, roles, approvalWait);
    this.relay = new UpstreamRelay(roles);
    this.hold = new ResultHold(roles, this::relayFrame, this::upstreamReadComplete);
    this.switcher = new UpstreamSwitch(roles);
  }

  /**
   * Starts relaying over {@code connection} (null: none yet, until a decision names a role): the
   * upstream and the client may now be read. Until then the session ignores its upstream's events,
   * as the client has not been told it is ready.
   */
  public void start(UpstreamConnection connection) {
    upstream = connection;
    started = true;
    recordConnection(true);
    if (upstream != null) {
      upstream.read();
    }
    client.read();
  }

  /** The audit trail knows every connection that authenticated, and when it ended. */
  private void recordConnection(boolean opened) {
    try {
      gate.connection(info.connectionId(), info.principal(), roles.context(), opened);
    } catch (RuntimeException e) {
      log.warn("could not record the connection {} {}", info.connectionId(), opened, e);
    }
  }

  public SessionInfo info() {
    return info;
  }

  public EventLoop loop() {
    return client.eventLoop();
  }

  // ---- client side ----------------------------------------------------------------------

  /** A frame from the client; the session owns it from here. */
  public void clientFrame(Frame frame) {
    if (closed) {
      frame.release();
      return;
    }
    inbox.add(frame);
    // Frames of one read are handled as they come but flushed together at the read's end.
    if (!draining) {
      draining = true;
      try {
        drainInbox();
      } finally {
        draining = false;
      }
    }
  }

  public void clientReadComplete() {
    if (upstream != null) {
      upstream.flush();
    }
    clientOut.flush();
    maybeReadClient();
  }

  public void clientWritabilityChanged() {
    if (client.isWritable() && upstream != null && !hold.holding()) {
      upstream.read();
    }
  }

  /** The client went away: give back what this session holds. */
  public void clientClosed() {
    if (closed) {
      return;
    }
    closed = true;
    recordConnection(false);
    approvals.clientGone();
    inbox.forEach(Frame::release);
    inbox.clear();
    clientOut.discard();
    hold.clear();
    relay.abandon("the client disconnected");
    running.close();
    if (upstream != null) {
      upstream.close();
    }
  }

  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      drainInbox();
    } finally {
      draining = false;
    }
    if (closed) {
      return;
    }
    if (upstream != null) {
      upstream.flush();
    }
    clientOut.flush();
    maybeReadClient();
  }

  private void drainInbox() {
    while (!suspended && !closed && !inbox.isEmpty()) {
      Frame frame = inbox.peek();
      char type = frame.typeChar();
      if (copyIn && type != 'd' && type != 'c' && type != 'f' && type != 'X') {
        inbox.poll();
        frame.release();
        if (type == 'S' || type == 'H') {
          continue; // ignored in copy mode, as PostgreSQL ignores them: no answer is owed
        }
        // As PostgreSQL: the message is a protocol violation that ends the connection (red-team
        // round 34: a Query sent before CopyDone waited behind the copy, and the session hung).
        fatal(
            SqlState.PROTOCOL_VIOLATION,
            String.format(
                "unexpected message type 0x%02X during COPY from stdin; terminating connection"
                    + " because protocol synchronization was lost",
                (int) type));
        return;
      }
      // A simple query and a function call are answered with ReadyForQuery of their own, so they
      // wait until every earlier request was answered.
      // A Parse waits too while a statement that changes the analysis context is owed: it must be
      // analysed in the context that statement leaves (Owed.contextChangeOwed). So do Bind,
      // Describe, Execute and Close, which use names that statement may change, and any of them
      // that uses a name an earlier cycle's Parse or Bind is still owed for (Owed.namesOwedAcross-
      // Sync).
      if ((type == 'Q' || type == 'F') && !pending.isEmpty()
          || usesNames(type) && (pending.contextChangeOwed() || nameOwed(frame))) {
        // PostgreSQL sends a pipeline's answers at a Sync or Flush (or when the Query itself
        // comes): asked for here, or a Parse before a Query was never answered and the Query
        // never sent (red-team round 10: the session hung, a bounded write's rows locked).
        if (!flushAsked && upstream != null) {
          upstream.write(new dev.gatehouse.wire.protocol.frontend.Flush());
          flushAsked = true;
        }
        break;
      }
      flushAsked = false;
      inbox.poll();
      try {
        dispatch(frame);
      } catch (ProtocolViolation e) {
        fatal(SqlState.PROTOCOL_VIOLATION, e.getMessage());
        return;
      } catch (RuntimeException e) {
        log.warn("internal error in session {}", info.connectionId(), e);
        fatal(SqlState.INTERNAL_ERROR, "internal error in the gateway; the connection was closed");
        return;
      }
    }
  }

  private static boolean usesNames(char type) {
    return type == 'P' || type == 'B' || type == 'D' || type == 'E' || type == 'C';
  }

  /** True when {@code frame} uses a name whose Parse or Bind of an earlier cycle is owed. */
  private boolean nameOwed(Frame frame) {
    java.util.Set<String> owed = pending.namesOwedAcrossSync();
    if (owed.isEmpty()) {
      return false;
    }
    dev.gatehouse.wire.protocol.frontend.FrontendMessage m;
    try {
      m = dev.gatehouse.wire.protocol.frontend.FrontendMessage.decode(frame);
    } catch (RuntimeException e) {
      return false; // malformed: dispatch answers it
    }
    return switch (m) {
      case dev.gatehouse.wire.protocol.frontend.Parse p -> owed.contains("S" + p.name());
      case dev.gatehouse.wire.protocol.frontend.Bind b ->
          owed.contains("S" + b.statement()) || owed.contains("P" + b.portal());
      case dev.gatehouse.wire.protocol.frontend.Describe d ->
          owed.contains((d.statement() ? "S" : "P") + d.name());
      case dev.gatehouse.wire.protocol.frontend.Execute e -> owed.contains("P" + e.portal());
      case dev.gatehouse.wire.protocol.frontend.Close c -> owed.contains(c.kind() + c.name());
      default -> false;
    };
  }

  private void dispatch(Frame frame) {
    switch (frame.typeChar()) {
      case 'Q' -> simple.query(frame);
      case 'P', 'B', 'D', 'E', 'C', 'S', 'H' -> extended.message(frame);
      case 'd', 'c', 'f' -> {
        boolean ends = frame.typeChar() != 'd';
        if (ends && copyIn) {
          copyIn = false; // the end of the copy under way
        } else if (ends) {
          pending.copyEndSent(); // sent before its CopyInResponse came, or stray
        }
        CopyFlow.clientCopy(roles, frame);
        if (ends && pending.next() instanceof Pending.Guarded) {
          // A COPY under a row bound, in a transaction of the gateway's that it ends once the count
          // is known: nothing of the client's may join that transaction (red-team round 35: a
          // COMMIT sent after CopyDone committed it before the count was checked). The guard
          // resumes the session when it has answered.
          suspend();
        }
      }
      case 'F' -> simple.functionCall(frame);
      case 'X' -> {
        frame.release();
        client.close();
      }
      default -> {
        frame.release();
        throw new ProtocolViolation(
            "unexpected message type `" + frame.typeChar() + "` after startup");
      }
    }
  }

  private void maybeReadClient() {
    if (closed) {
      return;
    }
    boolean ready = !suspended && inbox.isEmpty() && (upstream == null || upstream.isWritable());
    // While a statement waits for approval, keep reading a little: a client that goes away is
    // noticed (and its request cancelled) only by reading its connection.
    boolean watching = suspended && approvals.waiting() && inbox.size() < 64;
    if (ready || watching) {
      client.read();
    }
  }

  /** Stops taking client messages until {@link #resume()}; the event loop stays free. */
  private void suspend() {
    suspended = true;
  }

  private void resume() {
    suspended = false;
    // Whatever was claimed was sent (and is owed now) or did not start; the slot is the loop's.
    if (loop().inEventLoop()) {
      running.notStarting();
    } else {
      loop().execute(running::notStarting);
    }
    if (closed || draining) {
      return; // the drain loop further up the stack carries on
    }
    if (loop().inEventLoop()) {
      drain();
    } else {
      loop().execute(this::drain);
    }
  }

  /** Runs {@code step} on the event loop when {@code future} completes. */
  private <T> void whenDone(
      CompletableFuture<T> future, java.util.function.BiConsumer<T, Throwable> step) {
    if (future.isDone() && loop().inEventLoop()) {
      T value = null;
      Throwable error = null;
      try {
        value = future.join();
      } catch (RuntimeException e) {
        error = e.getCause() != null ? e.getCause() : e;
      }
      step.accept(value, error);
      return;
    }
    // The step runs even after the client left: it owns frames it must release, and its writes to
    // a closed channel are dropped.
    future.whenCompleteAsync(
        (v, e) ->
            step.accept(
                v, e instanceof java.util.concurrent.CompletionException c ? c.getCause() : e),
        loop());
  }

  /** True while the session waits on something (audit, approval, upstream) or owes answers. */
  public boolean busy() {
    return suspended || !pending.isEmpty();
  }

  /** A token that expired mid-session ends the session at the next statement. */
  private boolean tokenValid() {
    if (info.principal().isExpired(clock.instant())) {
      fatal(
          SqlState.INVALID_AUTHORIZATION,
          "the token expired at "
              + info.principal().expiresAt()
              + "; reconnect with a fresh token");
      return false;
    }
    return true;
  }

  // ---- answers to the client ------------------------------------------------------------

  /** Sends the gateway's own answer after everything the client is still owed. */
  private void answer(List<BackendMessage> messages) {
    answer(() -> messages);
  }

  private void answer(java.util.function.Supplier<List<BackendMessage>> messages) {
    if (pending.isEmpty()) {
      messages.get().forEach(this::send);
    } else {
      pending.expect(new Pending.Synthetic(messages));
    }
  }

  /**
   * Takes {@code step} once everything the client is still owed was answered (at once when nothing
   * is); also when the upstream skipped those answers after an error ({@link
   * Pending.Continuation}).
   */
  private void then(Runnable step) {
    if (pending.isEmpty()) {
      step.run();
    } else {
      pending.expect(new Pending.Continuation(step));
    }
  }

  /** An ERROR and, for a simple query or function call, the ReadyForQuery after it. */
  private void error(SqlState state, String message, String detail, boolean ready) {
    transaction.refused();
    if (transaction.aborted()) {
      // The block now ends in a rollback (or a rollback to a savepoint): so do its SETs.
      settings.failed();
    }
    ErrorResponse error = ErrorResponse.error(state, message, detail);
    answer(
        () ->
            ready
                ? List.of(error, new ReadyForQuery(transaction.told()))
                : List.<BackendMessage>of(error));
  }

  /**
   * A message failed upstream: see {@link SessionSettings#notApplied} and {@link
   * PreparedStatements#notApplied}.
   */
  private void notApplied(Verdict verdict) {
    // PostgreSQL refuses DISCARD ALL (25001) before it discards anything when it is one of
    // several statements of a message or sent inside a transaction block (red-team round 30,
    // T30-8: the gateway forgot names PostgreSQL kept). Alone and outside a block, a failed one
    // may have run, and what it would have dropped is forgotten.
    boolean discardMayHaveRun = verdict.analysis().statements().size() == 1 && transaction.idle();
    settings.notApplied(verdict, discardMayHaveRun);
    prepared.notApplied(verdict, discardMayHaveRun);
  }

  /** After {@code verdict}'s statements succeeded: the session state they changed. */
  private void applied(Verdict verdict) {
    prepared.applied(verdict); // DISCARD ALL included
    settings.applied(verdict, budget);
  }

  /**
   * Relays the upstream's ReadyForQuery with the status the client must see; at the end of a
   * transaction, SQL cursors without HOLD and every protocol portal are gone.
   */
  private void readyForQuery(Frame frame) {
    char upstreamStatus = UpstreamRelay.status(frame);
    char reported = transaction.ready(upstreamStatus);
    settings.ready(upstreamStatus);
    settings.cursors().ready(upstreamStatus);
    if (upstreamStatus == ReadyForQuery.IDLE) {
      prepared.transactionEnded();
    }
    if (reported != upstreamStatus) {
      frame.release();
      send(new ReadyForQuery(reported));
    } else {
      send(frame);
    }
  }

  private void send(BackendMessage message) {
    ByteBuf out = client.alloc().buffer();
    message.encode(out);
    clientOut.write(out);
  }

  /** Relays a frame as its original bytes (joined with the frames next to it when possible). */
  private void send(Frame frame) {
    clientOut.write(frame);
  }

  /** Writes bytes the gateway built (a masked row, a converted COPY line). */
  private void send(ByteBuf bytes) {
    clientOut.write(bytes);
  }

  /** The upstream answered a statement the analysis did not see: the connection ends. */
  private void hiddenStatement() {
    log.warn(
        "session {}: the upstream ran more statements than the gateway analysed; closing it",
        info.connectionId());
    fatal(
        SqlState.INTERNAL_ERROR,
        "the database ran a statement the gateway did not analyse; the connection was closed");
  }

  private void undescribedResult() {
    log.warn(
        "session {}: rows of a result whose columns the gateway does not know; closing it",
        info.connectionId());
    fatal(
        SqlState.INTERNAL_ERROR,
        "the gateway could not learn the columns of a result, so it cannot mask its rows;"
            + " the connection was closed");
  }

  /** FATAL: tell the client why, then close its connection (and only it). */
  public void fatal(SqlState state, String message) {
    if (closed) {
      return;
    }
    ByteBuf out = client.alloc().buffer();
    ErrorResponse.fatal(state, message).encode(out);
    clientOut.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    clientClosed();
  }

  // ---- upstream --------------------------------------------------------------------------

  @Override
  public void upstreamFrame(Frame frame) {
    if (closed || !started) {
      frame.release();
      return;
    }
    if (!hold.offer(frame)) {
      relayFrame(frame);
    }
  }

  /** Relays one upstream frame to the client, through the request it answers. */
  private void relayFrame(Frame frame) {
    try {
      relay.frame(frame);
    } catch (RuntimeException e) {
      log.warn("internal error relaying for session {}", info.connectionId(), e);
      fatal(SqlState.INTERNAL_ERROR, "internal error in the gateway; the connection was closed");
    }
  }

  @Override
  public void upstreamReadComplete() {
    if (closed || !started) {
      return;
    }
    clientOut.flush();
    // While answers are held, read no further: memory stays bounded by one read.
    if (client.isWritable() && upstream != null && !hold.holding()) {
      upstream.read();
    }
    if (!suspended && (pending.isEmpty() || copyIn) && !inbox.isEmpty()) {
      drain();
    }
  }

  /**
   * The upstream sent CopyInResponse for the head request: until the client's CopyDone or CopyFail
   * it is in copy mode, where a Sync the client sent after the COPY is ignored ({@link
   * Owed#copyInStarted}).
   */
  private void copyInStarted() {
    // Copy mode to come unless the client ended this copy already (it did not wait).
    copyIn = !pending.copyInStarted();
  }

  /** The upstream ended the copy itself (an error) or the statement: copy mode is over. */
  private void copyInEnded() {
    copyIn = false;
  }

  @Override
  public void upstreamWritabilityChanged(boolean writable) {
    if (writable && started) {
      maybeReadClient();
    }
  }

  @Override
  public void upstreamClosed(UpstreamConnection connection) {
    if (closed || connection != upstream) {
      return;
    }
    fatal(
        SqlState.INTERNAL_ERROR,
        "the upstream database closed the connection; reconnect to continue");
  }

  /** Cancels what the session is doing: a pending approval, or the upstream's running query. */
  public void cancel() {
    if (closed) {
      return;
    }
    if (!approvals.cancelWaiting()) {
      if (upstream != null) {
        upstream.cancel();
      }
    }
  }

  /** The roles the flows take, each method a step of this session's; see {@link FlowContext}. */
  private final class Roles implements FlowContext {

    // ---- Pacing

    @Override
    public void suspend() {
      Session.this.suspend();
    }

    @Override
    public void resume() {
      Session.this.resume();
    }

    @Override
    public <T> void whenDone(
        CompletableFuture<T> future, java.util.function.BiConsumer<T, Throwable> step) {
      Session.this.whenDone(future, step);
    }

    @Override
    public boolean closed() {
      return closed;
    }

    @Override
    public void maybeReadClient() {
      Session.this.maybeReadClient();
    }

    @Override
    public boolean moreBeforeSync(String portal) {
      for (Frame f : inbox) {
        char t = f.typeChar();
        if (t == 'S') {
          return false;
        }
        if (t == 'E') {
          try {
            if (dev.gatehouse.wire.protocol.frontend.FrontendMessage.decode(f)
                    instanceof dev.gatehouse.wire.protocol.frontend.Execute e
                && e.portal().equals(portal)) {
              continue;
            }
          } catch (RuntimeException malformed) {
            return true;
          }
        }
        if (t != 'H') {
          return true;
        }
      }
      return false;
    }

    // ---- ClientAnswers

    @Override
    public SessionInfo info() {
      return info;
    }

    @Override
    public void answer(List<BackendMessage> messages) {
      Session.this.answer(messages);
    }

    @Override
    public void answer(java.util.function.Supplier<List<BackendMessage>> messages) {
      Session.this.answer(messages);
    }

    @Override
    public void then(Runnable step) {
      Session.this.then(step);
    }

    @Override
    public void error(SqlState state, String message, String detail, boolean ready) {
      Session.this.error(state, message, detail, ready);
    }

    @Override
    public void send(BackendMessage message) {
      Session.this.send(message);
    }

    @Override
    public void send(Frame frame) {
      Session.this.send(frame);
    }

    @Override
    public void send(ByteBuf bytes) {
      Session.this.send(bytes);
    }

    @Override
    public ByteBufAllocator alloc() {
      return client.alloc();
    }

    @Override
    public void flushClient() {
      clientOut.flush();
    }

    @Override
    public void fatal(SqlState state, String message) {
      Session.this.fatal(state, message);
    }

    @Override
    public void hiddenStatement() {
      Session.this.hiddenStatement();
    }

    @Override
    public void undescribedResult() {
      Session.this.undescribedResult();
    }

    @Override
    public void readyForQuery(Frame frame) {
      Session.this.readyForQuery(frame);
    }

    @Override
    public void copyInStarted() {
      Session.this.copyInStarted();
    }

    @Override
    public void copyInEnded() {
      Session.this.copyInEnded();
    }

    // ---- UpstreamSide

    @Override
    public UpstreamConnection upstream() {
      return upstream;
    }

    @Override
    public void upstream(UpstreamConnection connection) {
      upstream = connection;
    }

    @Override
    public CompletableFuture<UpstreamConnection> connect(
        UpstreamTarget target, String role, Map<String, String> parameters) {
      return UpstreamConnection.open(client, target, role, parameters, Session.this);
    }

    @Override
    public CompletableFuture<Void> ensureUpstream(Verdict verdict) {
      return switcher.ensure(verdict);
    }

    @Override
    public void expect(Pending answer) {
      pending.expect(answer);
    }

    @Override
    public void expectAll(List<Pending> answers) {
      pending.expectAll(answers);
    }

    @Override
    public Owed pending() {
      return pending;
    }

    @Override
    public UpstreamRelay relay() {
      return relay;
    }

    @Override
    public ResultHold hold() {
      return hold;
    }

    @Override
    public String controlName() {
      return controlName;
    }

    // ---- SessionState

    @Override
    public SessionSettings settings() {
      return settings;
    }

    @Override
    public RowBudget budget() {
      return budget;
    }

    @Override
    public PreparedStatements prepared() {
      return prepared;
    }

    @Override
    public TransactionGuard transaction() {
      return transaction;
    }

    @Override
    public Cycle cycle() {
      return extended;
    }

    @Override
    public void applied(Verdict verdict) {
      Session.this.applied(verdict);
    }

    @Override
    public void notApplied(Verdict verdict) {
      Session.this.notApplied(verdict);
    }

    // ---- Admitting

    @Override
    public Gate gate() {
      return gate;
    }

    @Override
    public RequestContext context() {
      return new RequestContext(
          Channel.WIRE,
          info.database(),
          info.applicationName(),
          info.clientAddress(),
          clock.instant());
    }

    @Override
    public AnalysisContext analysisContext() {
      return settings.analysisContext();
    }

    @Override
    public java.util.concurrent.Executor workers() {
      return blocking;
    }

    @Override
    public RunningSlot running() {
      return running;
    }

    @Override
    public boolean tokenValid() {
      return Session.this.tokenValid();
    }

    @Override
    public void awaitApproval(
        AwaitingApproval awaiting,
        java.util.function.Consumer<Admitted> approved,
        java.util.function.Consumer<Refused> refused) {
      // A statement waiting for a human runs nothing: it holds no running slot meanwhile.
      running.notStarting();
      approvals.await(awaiting, approved, refused);
    }
  }
}
