package dev.gatehouse.engine.admission;

import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.RequestContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Is told what admission does, for metrics; every method must be cheap and must not throw. */
public interface AdmissionObserver {

  /** Observes nothing. */
  AdmissionObserver NONE = new AdmissionObserver() {};

  /** A message was decided in {@code nanos}. */
  default void decided(RequestContext context, Effect effect, long nanos) {}

  /** A statement's decision record was opened; {@code durable} settles when it is on record. */
  default void recordOpened(CompletableFuture<Void> durable) {}

  /** An admitted statement ended after running {@code duration}. */
  default void completed(Duration duration) {}

  /** A token was refused (or missing). */
  default void authenticationFailed(RequestContext context) {}
}
