package dev.gatehouse.engine.audit;

import dev.gatehouse.engine.masking.detect.Detectors;
import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.Lexer;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import java.util.List;

/**
 * A statement record as a reader without masking clearance may see it: every string and number
 * constant of the SQL text replaced ({@code '?'}, {@code ?}), every quoted name that could not have
 * been written unquoted replaced ({@code "?"}) and comments removed, parameters kept only as keyed
 * hashes, captured rows left out. Other names are kept (a plain alias could still spell a word of a
 * value; the text stays readable). A cleared user's {@code WHERE ssn = '078-05-1120'} holds a value
 * the reader's own queries would see masked; which literal is a secret cannot be known from the
 * text, so all are withheld. Text that cannot be read is withheld whole.
 */
public final class LiteralsWithheld {

  /** What a reader sees in place of SQL text the lexer cannot read. */
  public static final String UNREADABLE = "[statement text withheld: it could not be read]";

  private static final String WITHHELD_PARAM = "[withheld]";

  /**
   * A name in plain ASCII that could have been written without quotes (case aside). Any other one,
   * quoted or not, is withheld: {@code AS "alice@example.com"} spelled a masked value as a name
   * (red-team round 39), as did a fullwidth {@code ｂｏｂ＠ｅｘａｍｐｌｅ．ｏｒｇ} (round 40); the shapes of
   * values (an {@code @}, a dash, a space, a leading digit) all need quotes.
   */
  private static final java.util.regex.Pattern PLAIN_NAME =
      java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

  private LiteralsWithheld() {}

  /** What a reader sees in place of the part of a cut text the lexer cannot read. */
  public static final String REST_UNREADABLE =
      " [the rest withheld: the text was cut inside a comment, string or quoted name]";

  /** {@code sql} with its literals replaced, layout and everything else kept. */
  public static String sql(String sql) {
    return sql(sql, false);
  }

  /**
   * As {@link #sql(String)}; when {@code cut} (the record keeps only the text's first characters),
   * the tokens up to where the cut left a comment or quote open are shown and the rest withheld
   * (red-team round 38: a long statement cut inside its comment was withheld whole).
   */
  public static String sql(String sql, boolean cut) {
    if (sql == null) {
      return null;
    }
    List<Token> tokens;
    String rest = "";
    if (cut) {
      Lexer.Prefix prefix = Lexer.tokenizePrefix(sql);
      tokens = prefix.tokens();
      rest = prefix.readTo() < sql.length() ? REST_UNREADABLE : "";
      sql = sql.substring(0, prefix.readTo());
    } else {
      try {
        tokens = Lexer.tokenize(sql);
      } catch (LexException | RuntimeException e) {
        return UNREADABLE;
      }
    }
    StringBuilder out = new StringBuilder(sql.length() + rest.length());
    int at = 0;
    for (Token t : tokens) {
      gap(out, sql.substring(at, t.start()), " ");
      if (t.type() == TokenType.STRING) {
        out.append("'?'");
      } else if ((t.type() == TokenType.QUOTED_IDENT || t.type() == TokenType.WORD)
          && !PLAIN_NAME.matcher(t.value()).matches()) {
        out.append("\"?\"");
      } else if (t.type() == TokenType.NUMBER) {
        out.append('?');
      } else {
        out.append(sql, t.start(), t.end());
      }
      at = t.end();
    }
    gap(out, sql.substring(at), "");
    // What is left (names, operators) still passes the content detectors: a cleared user's
    // `SELECT alice@example.com FROM ...` spelled a value in names and an operator (round 40).
    return Detectors.redactEvery(out.toString()) + rest;
  }

  /** Layout between tokens is kept; a comment (anything else there) could hold a value: gone. */
  private static void gap(StringBuilder out, String between, String instead) {
    out.append(between.isBlank() ? between : instead);
  }

  /** The record as an uncleared reader sees it. */
  public static StatementRecord of(StatementRecord r) {
    boolean hashed = ParamMode.HMAC.name().equalsIgnoreCase(String.valueOf(r.paramMode()));
    List<String> params =
        r.params() == null || hashed
            ? r.params()
            : r.params().stream().map(p -> p == null ? null : WITHHELD_PARAM).toList();
    StatementRecord.Outcome o = r.outcome();
    StatementRecord.Outcome outcome =
        o == null || o.capturedRows() == null || o.capturedRows().isEmpty()
            ? o
            : new StatementRecord.Outcome(
                o.rows(),
                o.durationMicros(),
                o.maskedColumns(),
                o.maskRules(),
                o.detectorHits(),
                o.sqlState(),
                o.error(),
                List.of());
    return new StatementRecord(
        r.id(),
        r.at(),
        r.instanceId(),
        r.seq(),
        r.issuer(),
        r.subject(),
        r.principalKind(),
        r.groups(),
        r.channel(),
        r.clientApplication(),
        r.clientAddress(),
        r.database(),
        sql(r.sql(), r.sqlTruncated() != null),
        // The digest of the whole text would let a reader test guesses of the withheld values.
        r.sqlTruncated() == null
            ? null
            : new StatementRecord.Truncation(r.sqlTruncated().length(), null),
        r.paramMode(),
        params,
        // As for the text: a digest of a withheld value would let a reader test guesses of it.
        r.paramsTruncated() == null || hashed
            ? r.paramsTruncated()
            : new StatementRecord.ParamsTruncation(
                r.paramsTruncated().cut().stream()
                    .map(c -> new StatementRecord.ParamCut(c.index(), c.length(), null))
                    .toList(),
                r.paramsTruncated().omitted()),
        r.decision(),
        r.ruleIds(),
        r.explanation(),
        r.approvalId(),
        r.statementKinds(),
        r.tables(),
        r.riskFlags(),
        outcome);
  }
}
