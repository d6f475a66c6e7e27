package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.masking.detect.DetectorType;
import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementClass;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.lineage.LineageResolver;
import dev.gatehouse.engine.sql.model.AnalysisContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;

/**
 * The masking of the corpus's reference policy (corpus/README.md), as the evaluator hands it on.
 */
final class ReferenceMasking {

  /**
   * For every principal without {@code pii-cleared}: the policy's four column rules, then the
   * built-in rules of the catalog's value-carrying columns (the reference policy's {@code
   * catalogChannels: deny} keeps them).
   */
  static final MaskingPolicy UNCLEARED =
      new MaskingPolicy(
          java.util.stream.Stream.concat(
                  java.util.stream.Stream.of(
                      new MaskRule("customers-email", "app.customers.email", MaskStrategy.EMAIL, 0),
                      new MaskRule("customers-ssn", "app.customers.ssn", MaskStrategy.REDACT, 0),
                      new MaskRule(
                          "customers-phone", "app.customers.phone", MaskStrategy.REDACT, 0),
                      new MaskRule("card-number", "*.card_number", MaskStrategy.KEEP_LAST, 4)),
                  CatalogChannels.RULES.stream())
              .toList(),
          Set.of(DetectorType.CARD_NUMBER, DetectorType.EMAIL),
          false);

  private ReferenceMasking() {}

  static MaskingPolicy forPrincipal(String principal) {
    return principal.equals("support-lead") ? MaskingPolicy.NONE : UNCLEARED;
  }

  /**
   * The analysis of {@code sql} as far as masking needs it: one statement info per statement, with
   * the lineage of LineageResolver (the full analyser lives in the sql package).
   */
  static Analysis analyze(String sql) {
    try {
      // As the analyser reads it: split by the gateway's lexer, each statement given to the parser
      // as ParserText writes it (a text the lexer reads otherwise than JSqlParser would, as the
      // corpus's lex-* cases are, is then read as PostgreSQL reads it).
      List<StatementInfo> infos = new ArrayList<>();
      for (dev.gatehouse.engine.sql.lex.LexedStatement st :
          dev.gatehouse.engine.sql.lex.Splitter.split(sql)) {
        infos.add(
            info(CCJSqlParserUtil.parse(dev.gatehouse.engine.sql.lex.ParserText.of(st).text())));
      }
      return new Analysis(sql, infos, sql);
    } catch (Exception unparsable) {
      return new Analysis(sql, List.of(), sql);
    }
  }

  private static StatementInfo info(Statement s) {
    return new StatementInfo(
        s.toString(),
        "SELECT",
        StatementClass.READ,
        Set.of(),
        Set.of(),
        Set.of(),
        Map.of(),
        Set.of(),
        LineageResolver.outputColumns(s, AnalysisContext.DEFAULT));
  }
}
