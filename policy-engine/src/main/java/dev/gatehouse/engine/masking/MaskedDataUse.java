package dev.gatehouse.engine.masking;

import dev.gatehouse.engine.sql.Analysis;
import dev.gatehouse.engine.sql.StatementInfo;
import dev.gatehouse.engine.sql.lex.LexException;
import dev.gatehouse.engine.sql.lex.Lexer;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.model.ColumnRef;
import dev.gatehouse.engine.sql.model.ColumnUse;
import dev.gatehouse.engine.sql.model.OutputColumn;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides what a statement does with masked data besides returning it (which the mask plan
 * handles): inference through filters, joins, orderings and row counts; writes that would copy a
 * masked value where it is no longer masked; catalog data (planner statistics, other sessions' SQL)
 * that holds values of masked columns. A pure function of the analysis and the masking in force, so
 * any front end or admission step can call it before a statement runs.
 */
public final class MaskedDataUse {

  /** Rule id of a denial for a masked column used outside the select list. */
  public static final String INFERENCE = "masking-inference";

  /** Rule id of a denial for a write that carries masked values into an unmasked column. */
  public static final String WRITE = "masking-write";

  /** Rule id of a denial for catalog data that holds table values or other sessions' SQL. */
  public static final String CATALOG = "masking-catalog";

  /** A refusal: the rule id and an explanation a person or an agent can act on. */
  public record Refusal(String ruleId, String explanation) {}

  private static final String LOOKUP_FORMS =
      "`column = literal` or `column = $n`, `column IN (literals or parameters)` and `column IS"
          + " [NOT] NULL`, joined by AND at the top level of a WHERE";

  private MaskedDataUse() {}

  /** The first refusal for {@code analysis} under {@code policy}, or null when it may run. */
  public static Refusal check(Analysis analysis, MaskingPolicy policy) {
    if (policy == null || policy.rules().isEmpty()) {
      return null;
    }
    MaskedColumns masked = MaskedColumns.of(policy.rules());
    List<StatementInfo> statements = analysis.statements();
    for (int i = 0; i < statements.size(); i++) {
      Refusal r = check(statements.get(i), where(i, statements.size()), policy, masked);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  private static Refusal check(
      StatementInfo s, String where, MaskingPolicy policy, MaskedColumns masked) {
    for (String f : s.functions()) {
      if (CatalogChannels.exposes(f)) {
        return new Refusal(
            CATALOG,
            "denied by `"
                + CATALOG
                + "`: "
                + where
                + " calls `"
                + f
                + "`, which returns other sessions' SQL or planner statistics (values of table"
                + " columns) that masking does not let you see. Nothing was run. Use the"
                + " counters in pg_stat_* views, or ask someone with clearance");
      }
    }
    if (policy.denyCatalogChannels()) {
      Set<ColumnRef> read = new LinkedHashSet<>();
      s.outputColumns().forEach(c -> read.addAll(c.sources()));
      s.uses().forEach(u -> read.addAll(u.sources()));
      for (ColumnRef source : read) {
        MaskRule r = masked.catalogRule(source);
        if (r != null) {
          return new Refusal(
              CATALOG,
              "denied by `"
                  + CATALOG
                  + "`: "
                  + where
                  + " reads `"
                  + source.qualified()
                  + "`, which holds values of table columns (planner statistics) or other"
                  + " sessions' SQL, and masking applies to you. Nothing was run. Leave that"
                  + " column out (the other columns of the view are allowed)");
        }
      }
    }
    for (ColumnUse use : s.uses()) {
      Refusal r =
          use.isWrite() ? write(s, use, where, masked) : inference(use, where, policy, masked);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  private static Refusal inference(
      ColumnUse use, String where, MaskingPolicy policy, MaskedColumns masked) {
    MaskRule rule = masked.first(use.sources());
    if (rule == null) {
      return null;
    }
    Inference mode = policy.inferenceOf(rule);
    if (mode == Inference.ALLOW || (mode == Inference.LOOKUP && use.lookup())) {
      return null;
    }
    ColumnRef column = masked.witness(use.sources(), rule);
    String instead =
        mode == Inference.LOOKUP
            ? "the policy allows a masked column outside the select list only in a lookup: "
                + LOOKUP_FORMS
            : "the policy allows masked columns only in the select list, where they come back"
                + " masked";
    return new Refusal(
        INFERENCE,
        "denied by `"
            + INFERENCE
            + "`: "
            + where
            + " uses "
            + describe(column, rule)
            + " in "
            + use.clause()
            + " (`"
            + use.expression()
            + (use.clause().startsWith("a computation in the select list")
                ? "`), which can reveal its values through whether the statement fails; "
                : "`), which can reveal its values through which rows, how many or in what order"
                    + " they come back; ")
            + instead
            + ". Nothing was run. Filter, join, group and sort on unmasked columns instead, and"
            + " select a masked column bare, cast to text, or under functions that cannot fail"
            + " (such as upper, lower, md5, substr, count, min, max)");
  }

  private static Refusal write(StatementInfo s, ColumnUse use, String where, MaskedColumns masked) {
    MaskRule source = masked.first(use.sources());
    if (source == null) {
      return null;
    }
    // a column not known by name (INSERT without a column list) counts as unmasked
    MaskRule target =
        use.writtenTo()
                .column()
                .equals(dev.gatehouse.engine.sql.lineage.LineageResolver.ALL_COLUMNS)
            ? null
            : masked.ruleFor(use.writtenTo());
    if (target != null && (whole(target) || copied(s, use))) {
      // every masked source, a function's opaque value among them, must be hidden as well there
      MaskRule weaker = null;
      for (ColumnRef from : use.sources()) {
        MaskRule r = masked.ruleFor(from);
        if (r != null && !atLeastAsStrong(target, r)) {
          weaker = r;
          break;
        }
      }
      if (weaker == null) {
        return null;
      }
      source = weaker;
    }
    ColumnRef from = masked.witness(use.sources(), source);
    return new Refusal(
        WRITE,
        "denied by `"
            + WRITE
            + "`: "
            + where
            + " writes a value derived from "
            + describe(from, source)
            + " into `"
            + use.writtenTo().qualified()
            + "`, which "
            + (target == null
                ? "no masking rule covers"
                : atLeastAsStrong(target, source)
                    ? "rule `"
                        + target.id()
                        + "` masks only in part (it shows part of whatever is stored, so only a"
                        + " plain copy of a column may be written there)"
                    : "a weaker rule `" + target.id() + "` covers")
            + ", so the value would reach everyone who reads it. Nothing was run. Write values"
            + " that do not come from masked columns");
  }

  private static String describe(ColumnRef column, MaskRule rule) {
    return rule == MaskedColumns.OPAQUE
        ? "the result of a function Gatehouse cannot see into (it may return masked values)"
        : "masked column `" + column.qualified() + "` (masking rule `" + rule.id() + "`)";
  }

  /** True when {@code rule} shows nothing of a value (no kept digits, no first character). */
  private static boolean whole(MaskRule rule) {
    return rule.strategy() != MaskStrategy.KEEP_LAST && rule.strategy() != MaskStrategy.EMAIL;
  }

  /**
   * True when the written value is a column itself. A partial mask shows the part of what it is
   * given: a reversed, rotated or cut card number written into a {@code KEEP_LAST} column would
   * show other digits each time, so only a copy may go there.
   */
  private static boolean copied(StatementInfo s, ColumnUse use) {
    return PLAIN_COLUMN.matcher(use.expression().strip()).matches() && !derivedRelations(s);
  }

  /**
   * True when a column the statement names may be a subquery's, a CTE's, a LATERAL item's or a
   * function's output rather than a table's: then {@code c.card_number} may be {@code
   * reverse(card_number)} under that name (red-team round 6, F1), and the syntax of the written
   * expression says nothing. Fail closed: any SELECT or VALUES beyond the one an INSERT takes its
   * rows from, any WITH, and any function in FROM count.
   */
  private static boolean derivedRelations(StatementInfo s) {
    for (ColumnUse u : s.uses()) {
      if (u.clause().equals("FROM") || u.clause().startsWith("set-returning")) {
        return true;
      }
    }
    int derived = 0;
    try {
      for (Token t : Lexer.tokenize(s.sql())) {
        if (t.isWord("select") || t.isWord("values") || t.isWord("with") || t.isWord("lateral")) {
          derived++;
        }
      }
    } catch (LexException e) {
      return true;
    }
    return derived > (s.commandTag().equals("INSERT") ? 1 : 0);
  }

  private static final java.util.regex.Pattern PLAIN_COLUMN =
      // `col = source` for SET and MERGE clauses, the bare source for INSERT
      java.util.regex.Pattern.compile("(?:\"?\\w+\"?\\s*=\\s*)?(?:\"?\\w+\"?\\.){0,3}\"?\\w+\"?");

  /** True when {@code target} hides at least what {@code source} hides. */
  static boolean atLeastAsStrong(MaskRule target, MaskRule source) {
    if (target.id().startsWith(CatalogChannels.RULE_PREFIX)) {
      return false;
    }
    int t = rank(target.strategy());
    int s = rank(source.strategy());
    if (t != s) {
      return t > s;
    }
    if (target.strategy() != source.strategy()) {
      return false;
    }
    return target.strategy() != MaskStrategy.KEEP_LAST || target.keepLast() <= source.keepLast();
  }

  private static int rank(MaskStrategy s) {
    return switch (s) {
      case NULL -> 4;
      case REDACT -> 3;
      case PSEUDONYM -> 2;
      case KEEP_LAST, EMAIL -> 1;
    };
  }

  private static String where(int index, int count) {
    return count == 1 ? "the statement" : "statement " + (index + 1) + " of " + count;
  }

  /** True when {@code s} reads, filters on or writes anything a rule masks, or cannot be traced. */
  public static boolean touchesMasked(StatementInfo s, MaskingPolicy policy) {
    if (policy == null || policy.isEmpty()) {
      return false;
    }
    MaskedColumns masked = MaskedColumns.of(policy.rules());
    for (OutputColumn c : s.outputColumns()) {
      if (c.opaque() || masked.first(c.sources()) != null) {
        return true;
      }
    }
    for (ColumnUse u : s.uses()) {
      if (masked.first(u.sources()) != null) {
        return true;
      }
    }
    // an integrity error on a written row shows the whole row ("Failing row contains (...)"), or
    // the key values of a unique violation, whichever columns the statement names
    for (dev.gatehouse.engine.sql.model.TableRef t : s.tablesWritten()) {
      if (masked.ruleFor(
              new ColumnRef(t, dev.gatehouse.engine.sql.lineage.LineageResolver.ALL_COLUMNS))
          != null) {
        return true;
      }
    }
    // what analysis could not follow may have read anything
    return s.riskFlags().contains(dev.gatehouse.engine.sql.RiskFlag.OPAQUE_LINEAGE)
        || s.riskFlags().contains(dev.gatehouse.engine.sql.RiskFlag.PARSE_FAILURE)
        || s.statementClass() == dev.gatehouse.engine.sql.StatementClass.UNKNOWN;
  }
}
