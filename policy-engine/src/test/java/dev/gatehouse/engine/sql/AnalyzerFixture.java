package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A shared analyser for the tests of this package and short ways to look at its output. */
final class AnalyzerFixture {

  static final PostgresSqlAnalyzer ANALYZER = new PostgresSqlAnalyzer();

  private AnalyzerFixture() {}

  static StatementInfo one(String sql) {
    return one(sql, AnalysisContext.DEFAULT);
  }

  static StatementInfo one(String sql, AnalysisContext context) {
    List<StatementInfo> statements = ANALYZER.analyze(sql, context).statements();
    if (statements.size() != 1) {
      throw new AssertionError("expected one statement in " + sql + ", got " + statements);
    }
    return statements.getFirst();
  }

  static Set<String> names(Set<TableRef> tables) {
    return tables.stream().map(TableRef::qualified).collect(Collectors.toCollection(TreeSet::new));
  }

  static Set<String> sorted(Set<String> names) {
    return new TreeSet<>(names);
  }
}
