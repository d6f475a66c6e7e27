package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.yaml.PolicyException;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.upstream.UpstreamDirectory;
import dev.gatehouse.engine.upstream.UpstreamTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy in force, reloaded when its file changes. A new file that does not validate is
 * rejected with a log line naming file, line and field, and the policy in force stays.
 *
 * <p>It polls the file's content hash rather than relying on file-system events, which editors
 * (write to temp, rename) and mounted config maps (symlink swaps) defeat.
 */
public final class PolicyHolder implements PolicyEvaluator, UpstreamDirectory, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PolicyHolder.class);

  private final Path file;
  private final PolicyLoader loader;
  private final AtomicReference<RulePolicyEvaluator> current = new AtomicReference<>();
  private volatile String lastRejected;
  private ScheduledExecutorService watcher;

  /** Loads {@code file}; a bad initial file throws, since there is nothing to keep. */
  public PolicyHolder(Path file, PolicyLoader loader) {
    this.file = file;
    this.loader = loader;
    current.set(new RulePolicyEvaluator(loader.load(file)));
  }

  public Policy policy() {
    return current.get().policy();
  }

  @Override
  public Decision evaluate(Principal principal, Analysis analysis, RequestContext context) {
    return current.get().evaluate(principal, analysis, context);
  }

  @Override
  public Decision decideWithoutAnalysis(Principal principal, RequestContext context) {
    return current.get().decideWithoutAnalysis(principal, context);
  }

  /** The evaluator of the policy in force: a reload replaces it. */
  @Override
  public Object generation() {
    return current.get().generation();
  }

  @Override
  public TaintSettings taint() {
    return current.get().taint();
  }

  @Override
  public UpstreamTarget upstream(String database, String role) {
    return policy().upstream(database, role);
  }

  @Override
  public boolean serves(String database) {
    return policy().serves(database);
  }

  /** Starts checking the file every {@code interval}. */
  public synchronized PolicyHolder watch(Duration interval) {
    if (watcher == null) {
      watcher =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "gatehouse-policy-watch");
                t.setDaemon(true);
                return t;
              });
      watcher.scheduleWithFixedDelay(
          this::reload, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Reloads the file if its content changed. Returns true when a new policy is in force. */
  public boolean reload() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      log.warn(
          "policy `{}` could not be read ({}); the policy in force stays", file, e.getMessage());
      return false;
    }
    String revision = PolicyLoader.sha256(bytes);
    if (revision.equals(policy().revision()) || revision.equals(lastRejected)) {
      return false;
    }
    try {
      Policy next = loader.parse(file, bytes);
      current.set(new RulePolicyEvaluator(next));
      lastRejected = null;
      log.info("policy `{}` reloaded, revision {}", file, next.revision());
      return true;
    } catch (PolicyException e) {
      lastRejected = revision;
      log.error(
          "{}; the new file is rejected and revision {} stays in force",
          e.getMessage(),
          policy().revision());
      return false;
    }
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.shutdownNow();
      watcher = null;
    }
  }
}
