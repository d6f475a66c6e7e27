package dev.gatehouse.engine.approval;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the notifiers off the caller's thread. A notifier that fails or hangs never loses or blocks
 * a request: it stays pending and can be decided from the CLI or API.
 */
final class NotifierDispatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NotifierDispatch.class);

  private final List<ApprovalNotifier> notifiers;
  private final ExecutorService executor =
      Executors.newFixedThreadPool(
          2, Thread.ofPlatform().name("gatehouse-approval-notifier-", 0).daemon(true).factory());

  NotifierDispatch(List<ApprovalNotifier> notifiers) {
    this.notifiers = List.copyOf(notifiers);
  }

  void created(ApprovalRequest r) {
    send("created", r, ApprovalNotifier::created);
  }

  void decided(ApprovalRequest r) {
    send("decided", r, ApprovalNotifier::decided);
  }

  void expired(ApprovalRequest r) {
    send("expired", r, ApprovalNotifier::expired);
  }

  private void send(
      String event, ApprovalRequest r, BiConsumer<ApprovalNotifier, ApprovalRequest> call) {
    for (ApprovalNotifier n : notifiers) {
      executor.execute(
          () -> {
            try {
              call.accept(n, r);
            } catch (RuntimeException e) {
              log.warn(
                  "approval notifier {} failed on {} of request {}; the request is kept ({}): {}",
                  n.getClass().getName(),
                  event,
                  r.id(),
                  r.state(),
                  e.getMessage());
            }
          });
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
