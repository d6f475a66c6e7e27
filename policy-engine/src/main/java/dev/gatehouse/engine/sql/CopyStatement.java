package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Lexer;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.List;
import java.util.function.Function;

/**
 * COPY as policy judges it, from the one reading of the statement ({@link CopySyntax}): its
 * direction (TO a client or FROM a client), its target (STDIN/STDOUT, a server file, a program) and
 * what it reads or writes.
 *
 * @see <a href="https://www.postgresql.org/docs/16/sql-copy.html">COPY</a>
 */
final class CopyStatement {

  private CopyStatement() {}

  static StatementFacts classify(
      LexedStatement s, Function<List<Token>, StatementFacts> inner, AnalysisContext context) {
    StatementFacts facts = StatementFacts.of("COPY", StatementClass.UNKNOWN);
    CopySyntax copy;
    try {
      copy = CopySyntax.read(s);
    } catch (CopySyntax.Malformed e) {
      facts.flags.add(RiskFlag.PARSE_FAILURE);
      return facts;
    }
    switch (copy.target()) {
      case PROGRAM -> facts.flags.add(RiskFlag.COPY_PROGRAM);
      case FILE -> facts.flags.add(RiskFlag.COPY_FILE);
      case UNKNOWN -> facts.flags.add(RiskFlag.PARSE_FAILURE);
      case CLIENT -> {}
    }
    if (copy.queryTokens() != null) {
      StatementFacts source = inner.apply(copy.queryTokens());
      facts.absorb(source);
      facts.outputColumns = source.outputColumns;
      facts.statementClass =
          source.statementClass == StatementClass.READ
                  || source.statementClass == StatementClass.WRITE
              ? source.statementClass
              : StatementClass.UNKNOWN;
      if (!copy.toClient()) {
        facts.flags.add(RiskFlag.PARSE_FAILURE);
      }
      return facts;
    }
    TableRef table = TableName.at(s, 1, context).ref();
    if (copy.toClient()) {
      facts.tablesRead.add(table);
      facts.statementClass = StatementClass.READ;
      // COPY t TO sends the rows of SELECT * FROM t, so it has that statement's lineage.
      facts.outputColumns = selectAll(copy, inner);
    } else {
      facts.tablesWritten.add(table);
      facts.statementClass = StatementClass.WRITE;
    }
    return facts;
  }

  private static List<OutputColumn> selectAll(
      CopySyntax copy, Function<List<Token>, StatementFacts> inner) {
    try {
      return inner.apply(Lexer.tokenize("SELECT * FROM " + copy.relation())).outputColumns;
    } catch (LexException | RuntimeException e) {
      return List.of();
    }
  }
}
