package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.ParserText;
import dev.gatehouse.engine.sql.lineage.LineageResolver;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.Names;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.schema.CreateSchema;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;

/** The facts of a statement JSqlParser parsed: its class and tag, then a walk of every node. */
final class ParsedAnalyzer {

  private ParsedAnalyzer() {}

  static StatementFacts analyze(
      Statement statement, LexedStatement tokens, ParserText text, AnalysisContext context) {
    if (statement == null) {
      return StatementFacts.failure(RiskFlag.PARSE_FAILURE);
    }
    if (statement instanceof UnsupportedStatement) {
      return StatementFacts.failure(RiskFlag.UNSUPPORTED_STATEMENT);
    }
    StatementFacts facts = classify(statement, tokens);
    boolean ddl = facts.statementClass == StatementClass.DDL;
    if (statement instanceof Drop d && "SCHEMA".equalsIgnoreCase(d.getType())) {
      // A schema is every relation in it: written as `schema.*`, which a grant's `schema.*` covers.
      for (Table t : d.getNames() == null ? List.of(d.getName()) : d.getNames()) {
        facts.tablesWritten.add(new TableRef(Names.identifier(t.getName()), "*"));
      }
      return facts;
    }
    if (statement instanceof CreateSchema c && c.getSchemaName() != null) {
      facts.tablesWritten.add(new TableRef(Names.identifier(c.getSchemaName()), "*"));
    }
    new AstWalker(context, text, facts, ddl).walk(statement, targets(statement));
    refine(facts);
    if (returnsRows(statement) || isDml(statement) || createdFromQuery(statement)) {
      lineage(statement, context, text, facts, returnsRows(statement));
    }
    return facts;
  }

  private static StatementFacts classify(Statement statement, LexedStatement tokens) {
    String first = tokens.at(0).value();
    return switch (statement) {
      case Select s -> StatementFacts.of("SELECT", StatementClass.READ);
      case Insert i -> StatementFacts.of("INSERT", StatementClass.WRITE);
      case Update u -> StatementFacts.of("UPDATE", StatementClass.WRITE);
      case Delete d -> StatementFacts.of("DELETE", StatementClass.WRITE);
      case Merge m -> StatementFacts.of("MERGE", StatementClass.WRITE);
      default ->
          switch (first) {
            case "create", "alter", "drop", "comment", "refresh", "security" ->
                StatementFacts.of(CommandTags.ddl(tokens), StatementClass.DDL);
            case "call" -> StatementFacts.of("CALL", StatementClass.WRITE);
            default -> StatementFacts.of(first.toUpperCase(Locale.ROOT), StatementClass.UNKNOWN);
          };
    };
  }

  /** The tables a statement changes, as JSqlParser names them. */
  private static List<Table> targets(Statement statement) {
    List<Table> targets = new ArrayList<>();
    switch (statement) {
      case CreateTable c -> targets.add(c.getTable());
      case CreateView v -> targets.add(v.getView());
      case CreateIndex i -> targets.add(i.getTable());
      case Drop d -> targets.add(d.getName());
      case Alter a -> targets.add(a.getTable());
      default -> {}
    }
    targets.removeIf(Objects::isNull);
    return targets;
  }

  /** A query that writes (in a CTE), creates a table or locks rows is not a plain read. */
  private static void refine(StatementFacts facts) {
    if (facts.statementClass != StatementClass.READ) {
      if (facts.statementClass == StatementClass.UNKNOWN) {
        facts.flags.add(RiskFlag.UNSUPPORTED_STATEMENT);
      }
      return;
    }
    if (facts.flags.contains(RiskFlag.SELECT_INTO)) {
      facts.statementClass = StatementClass.DDL;
    } else if (!facts.tablesWritten.isEmpty()
        || facts.flags.contains(RiskFlag.WRITE_IN_CTE)
        || facts.flags.contains(RiskFlag.LOCKING_READ)) {
      facts.statementClass = StatementClass.WRITE;
    }
  }

  private static boolean returnsRows(Statement statement) {
    return switch (statement) {
      case Select s -> true;
      case Insert i -> i.getReturningClause() != null;
      case Update u -> u.getReturningClause() != null;
      case Delete d -> d.getReturningClause() != null;
      case Merge m -> m.getReturningClause() != null;
      default -> false;
    };
  }

  /**
   * CREATE TABLE AS, CREATE [MATERIALIZED] VIEW (the query's values are written) and EXPLAIN (its
   * estimates follow the statement's filters): their uses are found by lineage.
   */
  private static boolean createdFromQuery(Statement statement) {
    return statement instanceof net.sf.jsqlparser.statement.ExplainStatement
        || (statement instanceof net.sf.jsqlparser.statement.create.table.CreateTable t
            && t.getSelect() != null)
        || (statement instanceof net.sf.jsqlparser.statement.create.view.CreateView v
            && v.getSelect() != null);
  }

  private static boolean isDml(Statement statement) {
    return statement instanceof Insert
        || statement instanceof Update
        || statement instanceof Delete
        || statement instanceof Merge;
  }

  private static void lineage(
      Statement statement,
      AnalysisContext context,
      ParserText text,
      StatementFacts facts,
      boolean rows) {
    List<OutputColumn> columns;
    try {
      LineageResolver.Resolution r =
          LineageResolver.resolve(
              statement, context, text == null ? placeholder -> null : text::literal);
      columns = rows ? r.outputColumns() : List.of();
      facts.uses.addAll(r.uses());
      facts.literalSensitive |= r.literalShaped();
    } catch (RuntimeException e) {
      // Lineage that fails is lineage not known: policy then detects or denies, never trusts.
      facts.flags.add(RiskFlag.OPAQUE_LINEAGE);
      return;
    }
    facts.outputColumns = columns == null ? List.of() : columns;
    if (facts.outputColumns.stream().anyMatch(OutputColumn::opaque)) {
      facts.flags.add(RiskFlag.OPAQUE_LINEAGE);
    }
  }
}
