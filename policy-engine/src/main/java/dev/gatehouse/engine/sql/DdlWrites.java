package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import dev.gatehouse.engine.sql.lineage.LineageResolver;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.ColumnUse;
import dev.gatehouse.engine.sql.model.OutputColumn;
import dev.gatehouse.engine.sql.model.TableRef;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The values a schema change copies: what a function's body reads flows into the function's result,
 * and a column expression of {@code ALTER TABLE} ({@code GENERATED}, {@code DEFAULT}, {@code
 * USING}, {@code CHECK}) or a rename carries a table's columns into a place masking rules do not
 * name. Each becomes a write use, so masking checks these as it checks {@code UPDATE … SET}
 * (red-team S6, S7: approved DDL laundered masked values). What cannot be read counts as opaque,
 * which masking treats as masked.
 */
final class DdlWrites {

  private static final Set<String> ALTER_TABLE_EXPRESSIONS =
      Set.of("generated", "using", "default", "check", "rename", "schema");

  private DdlWrites() {}

  /**
   * Adds the write uses of a {@code CREATE FUNCTION | PROCEDURE} or {@code ALTER TABLE}.
   *
   * @param body analyses a function body's text; null when it cannot be lexed or parsed
   */
  static void apply(
      LexedStatement s, StatementFacts facts, Function<String, List<StatementFacts>> body) {
    if (s.size() < 3 || !(s.at(0).isWord("create") || s.at(0).isWord("alter"))) {
      return;
    }
    int i = 1;
    if (s.wordsAt(1, "or", "replace")) {
      i = 3;
    }
    if (s.at(0).isWord("create") && (s.wordsAt(i, "function") || s.wordsAt(i, "procedure"))) {
      function(s, i + 1, facts, body);
    } else if (s.at(0).isWord("alter") && s.wordsAt(1, "table")) {
      alterTable(s, facts);
    }
  }

  private static void function(
      LexedStatement s,
      int nameAt,
      StatementFacts facts,
      Function<String, List<StatementFacts>> body) {
    ColumnRef result = new ColumnRef(TableRef.of(name(s, nameAt)), "result");
    // The body is a string constant, which the fingerprint cache leaves out: another body must
    // never reuse this analysis.
    facts.literalSensitive = true;
    String language = null;
    String text = null;
    for (int i = nameAt; i < s.size(); i++) {
      Token t = s.at(i);
      if (t.isWord("language") && s.at(i + 1) != null) {
        language = s.at(i + 1).value().toLowerCase(java.util.Locale.ROOT);
      } else if (t.isWord("as") && s.at(i + 1) != null && s.at(i + 1).type() == TokenType.STRING) {
        text = s.at(i + 1).value();
      } else if (t.isWord("return") || t.isWord("atomic")) {
        // SQL-standard bodies (RETURN expr, BEGIN ATOMIC … END): not analysed, so opaque.
        text = null;
        language = "?";
        break;
      }
    }
    List<StatementFacts> parsed = text != null && "sql".equals(language) ? body.apply(text) : null;
    if (parsed == null) {
      facts.uses.add(
          new ColumnUse(
              "the body of a function",
              "a body Gatehouse cannot analyse",
              Set.of(LineageResolver.TRANSFORMED_OPAQUE),
              false,
              result));
      return;
    }
    Set<ColumnRef> rowArguments = rowTypeArguments(s, nameAt);
    if (!rowArguments.isEmpty()) {
      // An argument of a table's row type hands the function that whole row, whatever its body
      // names (red-team T2: `f(app.customers) … SELECT $1::text`, called as `c.f`).
      facts.uses.add(
          new ColumnUse(
              "the arguments of a function", "a row of a table", rowArguments, false, result));
    }
    for (StatementFacts b : parsed) {
      Set<ColumnRef> read = new LinkedHashSet<>();
      for (OutputColumn c : b.outputColumns) {
        read.addAll(c.sources());
        if (c.opaque()) {
          read.add(LineageResolver.TRANSFORMED_OPAQUE);
        }
      }
      for (ColumnUse u : b.uses) {
        if (u.isWrite()) {
          facts.uses.add(u);
        }
        // a filter in the body answers through the result whether a value matches
        read.addAll(u.sources());
      }
      if (!read.isEmpty()) {
        facts.uses.add(new ColumnUse("the body of a function", b.commandTag, read, false, result));
      }
      facts.tablesRead.addAll(b.tablesRead);
      facts.tablesWritten.addAll(b.tablesWritten);
      facts.functions.addAll(b.functions);
    }
  }

  /** Schema-qualified type names in the argument list: possibly a table's row type. */
  private static Set<ColumnRef> rowTypeArguments(LexedStatement s, int nameAt) {
    Set<ColumnRef> rows = new LinkedHashSet<>();
    int i = nameAt;
    while (i < s.size() && !s.at(i).isPunct("(")) {
      i++;
    }
    int depth = 0;
    for (; i < s.size(); i++) {
      if (s.at(i).isPunct("(")) {
        depth++;
      } else if (s.at(i).isPunct(")") && --depth == 0) {
        break;
      } else if (s.at(i).isIdentifier()
          && s.at(i + 1) != null
          && s.at(i + 1).isPunct(".")
          && s.at(i + 2) != null
          && s.at(i + 2).isIdentifier()) {
        rows.add(
            new ColumnRef(
                new TableRef(s.at(i).value(), s.at(i + 2).value()), LineageResolver.ALL_COLUMNS));
        i += 2;
      }
    }
    return rows;
  }

  private static void alterTable(LexedStatement s, StatementFacts facts) {
    boolean copies = false;
    for (int i = 2; i < s.size(); i++) {
      if (s.at(i).type() == TokenType.WORD && ALTER_TABLE_EXPRESSIONS.contains(s.at(i).value())) {
        copies = true;
        break;
      }
    }
    if (!copies) {
      return;
    }
    if (facts.tablesWritten.isEmpty()) {
      facts.flags.add(RiskFlag.PARSE_FAILURE);
      return;
    }
    for (TableRef table : facts.tablesWritten) {
      // Every name in the statement might be a column of the table, and the table itself moves
      // under another name: both count as copied somewhere no masking rule is known to cover.
      Set<ColumnRef> sources = new LinkedHashSet<>();
      sources.add(new ColumnRef(table, LineageResolver.ALL_COLUMNS));
      for (Token t : s.tokens()) {
        if (t.isIdentifier()) {
          sources.add(new ColumnRef(table, t.value()));
        }
      }
      if (!renamesOrMovesTable(s)) {
        sources.remove(new ColumnRef(table, LineageResolver.ALL_COLUMNS));
      }
      facts.uses.add(
          new ColumnUse(
              "a column expression or rename of `ALTER TABLE`",
              "ALTER TABLE " + table.qualified(),
              sources,
              false,
              new ColumnRef(table, LineageResolver.ALL_COLUMNS)));
    }
  }

  /** {@code RENAME TO name} or {@code SET SCHEMA}: the whole table goes under another name. */
  private static boolean renamesOrMovesTable(LexedStatement s) {
    for (int i = 2; i + 1 < s.size(); i++) {
      if (s.wordsAt(i, "rename", "to") || s.wordsAt(i, "set", "schema")) {
        return true;
      }
    }
    return false;
  }

  /** The dotted name from {@code at}, up to its argument list. */
  private static String name(LexedStatement s, int at) {
    StringBuilder name = new StringBuilder();
    for (int i = at; i < s.size() && !s.at(i).isPunct("("); i++) {
      name.append(s.at(i).isPunct(".") ? "." : s.at(i).value());
    }
    return name.isEmpty() ? "?" : name.toString();
  }
}
