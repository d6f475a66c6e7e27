package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.cache.BoundedCache;
import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Caches analyses by fingerprint and search path, bounded (least recently used out). Only analyses
 * that no literal shaped are cached, so a hit gives exactly what a fresh analysis would: the cache
 * can save time, never change a decision.
 */
public final class CachingSqlAnalyzer implements SqlAnalyzer {

  /**
   * The whole session context is part of the key: a FETCH's analysis depends on the session's
   * cursors, an EXECUTE's on its prepared statements, names on the search path.
   */
  private record Key(String fingerprint, AnalysisContext context) {}

  private final PostgresSqlAnalyzer analyzer;
  private final BoundedCache<Key, Analysis> cache;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  public CachingSqlAnalyzer(PostgresSqlAnalyzer analyzer, int capacity) {
    this.analyzer = analyzer;
    this.cache = new BoundedCache<>(capacity);
  }

  @Override
  public Analysis analyze(String sql, AnalysisContext context) {
    return analyze(sql, context, null);
  }

  @Override
  public Analysis outline(String sql) {
    return analyzer.outline(sql);
  }

  @Override
  public Analysis analyze(String sql, AnalysisContext context, String owner) {
    PostgresSqlAnalyzer.Lexed lexed = analyzer.lex(sql);
    if (lexed.fingerprint() == null) {
      return analyzer.analyze(sql, lexed, context, owner).analysis();
    }
    Key key = new Key(lexed.fingerprint(), context);
    Analysis cached = cache.get(key);
    if (cached != null) {
      hits.increment();
      return rebind(cached, sql, lexed.statements());
    }
    misses.increment();
    PostgresSqlAnalyzer.Result result = analyzer.analyze(sql, lexed, context, owner);
    if (result.cacheable()) {
      cache.put(key, result.analysis());
    }
    return result.analysis();
  }

  @Override
  public boolean reusable(Analysis analysis, AnalysisContext context) {
    if (analysis.fingerprint() == null || analysis.exceeded() != null) {
      return false;
    }
    return cache.contains(new Key(analysis.fingerprint(), context));
  }

  /** A cached analysis with this message's own text in it. */
  private static Analysis rebind(Analysis cached, String sql, List<LexedStatement> statements) {
    List<StatementInfo> infos = new ArrayList<>(statements.size());
    for (int i = 0; i < statements.size(); i++) {
      infos.add(cached.statements().get(i).withSql(statements.get(i).text()));
    }
    return new Analysis(sql, infos, cached.fingerprint());
  }

  /** Hits and misses so far, for metrics and tests. */
  public long[] stats() {
    return new long[] {hits.sum(), misses.sum()};
  }

  public int size() {
    return cache.size();
  }
}
