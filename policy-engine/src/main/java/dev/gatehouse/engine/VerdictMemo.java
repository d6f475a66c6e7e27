package dev.gatehouse.engine;

import dev.gatehouse.engine.cache.BoundedCache;
import dev.gatehouse.engine.cache.Same;
import dev.gatehouse.engine.identity.Principal;
import dev.gatehouse.engine.policy.Channel;
import dev.gatehouse.engine.policy.Effect;
import dev.gatehouse.engine.policy.RequestContext;
import dev.gatehouse.engine.policy.Verdict;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Allow verdicts kept by fingerprint (issue 15): a simple-protocol client sends the same statement
 * with other literals again and again, and evaluating the policy and the catalog checks for each
 * cost more than the rest of the statement's path. A verdict is kept only where it cannot differ
 * from a fresh one:
 *
 * <ul>
 *   <li>the analysis is the analyser's cached one for its fingerprint (no literal shaped it), and
 *       the key holds everything else the analysis depends on (the session's {@link
 *       AnalysisContext});
 *   <li>the same principal object (one session's or one token's), channel and database;
 *   <li>the same policy in force and the same catalog snapshot, compared by identity when the
 *       verdict is used; both read before and after it was decided, and kept only if unchanged;
 *   <li>only {@link Effect#ALLOW}: denials and approvals may quote the statement, and are rare.
 * </ul>
 *
 * Token expiry is checked before every lookup ({@code decideWithoutAnalysis}), as it was before
 * every evaluation. That check itself (the rules that match the principal, a grant on the database,
 * a trusted issuer) is kept too, per principal object, database and policy, but for the token's
 * expiry, checked every time.
 */
final class VerdictMemo {

  /**
   * The principal ({@link Same}: cheap, and never equal across tokens by accident) and the rest.
   */
  record Key(Same who, Channel channel, String database, String fingerprint, AnalysisContext sql) {}

  private record Kept(Object policy, Object catalog, Verdict verdict) {}

  /** A principal's statements on a database that the policy must analyse to decide. */
  private record Analysed(Same who, String database, Object policy) {}

  private final BoundedCache<Key, Kept> kept;
  private final BoundedCache<Analysed, Boolean> analysed;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  VerdictMemo(int capacity) {
    this.kept = new BoundedCache<>(capacity);
    this.analysed = new BoundedCache<>(capacity);
  }

  /**
   * Whether {@code decideWithoutAnalysis} is known to give nothing for this principal object on
   * this database under this policy: it did before, and of what it checks only the token's expiry
   * depends on the time, checked here. False when not known (it is asked then).
   */
  boolean mustAnalyse(Principal principal, RequestContext context, Object policy) {
    if (policy == null) {
      return false;
    }
    if (context.now() != null && principal.isExpired(context.now())) {
      return false;
    }
    return analysed.get(new Analysed(new Same(principal), context.database(), policy)) != null;
  }

  /** {@code decideWithoutAnalysis} gave nothing for this principal on this database. */
  void analysing(Principal principal, String database, Object policy) {
    if (policy == null) {
      return;
    }
    analysed.put(new Analysed(new Same(principal), database, policy), Boolean.TRUE);
  }

  static Key key(
      Principal principal,
      Channel channel,
      String database,
      AnalysisContext sql,
      Analysis analysis) {
    return new Key(new Same(principal), channel, database, analysis.fingerprint(), sql);
  }

  /**
   * The kept verdict for {@code key} with {@code analysis}'s texts, if it was decided under the
   * same policy and catalog snapshot; null otherwise.
   */
  Verdict find(Key key, Object policy, Object catalog, Analysis analysis) {
    Kept k = kept.get(key);
    if (k == null || policy == null || catalog == null) {
      misses.increment();
      return null;
    }
    if (k.policy() != policy || k.catalog() != catalog) {
      kept.remove(key); // decided under a policy or catalog no longer in force
      misses.increment();
      return null;
    }
    hits.increment();
    return withTexts(k.verdict(), analysis);
  }

  /** Keeps {@code verdict} when it allows and both generations are known. */
  void keep(Key key, Object policy, Object catalog, Verdict verdict) {
    if (policy == null
        || catalog == null
        || verdict.decision().effect() != Effect.ALLOW
        || verdict.analysis().exceeded() != null) {
      return;
    }
    kept.put(key, new Kept(policy, catalog, verdict));
  }

  /** Hits and misses so far, for tests. */
  long[] stats() {
    return new long[] {hits.sum(), misses.sum()};
  }

  /**
   * {@code verdict} (decided on another message of the same fingerprint) with the texts of {@code
   * analysis}: its statements as the catalog resolved them, each with this message's own text.
   */
  private static Verdict withTexts(Verdict verdict, Analysis analysis) {
    List<StatementInfo> was = verdict.analysis().statements();
    List<StatementInfo> now = analysis.statements();
    if (was.size() != now.size()) {
      return null; // cannot happen for one fingerprint; decided afresh if it does
    }
    List<StatementInfo> infos = new ArrayList<>(was.size());
    for (int i = 0; i < was.size(); i++) {
      infos.add(was.get(i).withSql(now.get(i).sql()));
    }
    return new Verdict(
        new Analysis(analysis.sql(), infos, analysis.fingerprint(), analysis.exceeded()),
        verdict.decision());
  }
}
