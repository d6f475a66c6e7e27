package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Token;
import dev.gatehouse.engine.sql.lex.TokenType;
import java.util.Locale;

/**
 * {@code SELECT [pg_catalog.]set_config('name', 'value', false)} and nothing else (or pg_dump's
 * {@code SELECT set_config(name, 'value', false) FROM pg_settings WHERE name = 'name'}): a
 * session-wide SET by another spelling, the first statement of pg_dump and of every plain dump.
 * Recognised only in this exact form, so the front end can track the new value (a search_path)
 * exactly as after a SET; any other use of set_config (inside a query, with a computed argument,
 * {@code is_local} true, whose effect ends with the transaction) stays a call of a dangerous
 * function, denied unless a grant names it.
 *
 * @see <a href="https://www.postgresql.org/docs/current/functions-admin.html">set_config</a>
 */
final class SetConfigCall {

  private SetConfigCall() {}

  /** The facts of {@code s} when it is such a call, or null. */
  static StatementFacts classify(LexedStatement s) {
    int n = s.size();
    while (n > 0 && s.at(n - 1).isPunct(";")) {
      n--;
    }
    int i = 1;
    if (s.wordsAt(1, "pg_catalog") && punct(s, 2, ".")) {
      i = 3;
    }
    if (!s.wordsAt(i, "set_config")
        || !punct(s, i + 1, "(")
        || !punct(s, i + 3, ",")
        || !string(s.at(i + 4))
        || !punct(s, i + 5, ",")
        || !s.wordsAt(i + 6, "false")
        || !punct(s, i + 7, ")")) {
      return null;
    }
    Token named;
    if (n == i + 8 && string(s.at(i + 2))) {
      named = s.at(i + 2);
    } else if (n == i + 14
        && s.wordsAt(i + 2, "name")
        && s.wordsAt(i + 8, "from", "pg_settings", "where", "name")
        && s.at(i + 12).value().equals("=")
        && string(s.at(i + 13))) {
      // pg_dump 15.8 and later: a setting that older servers lack, set only where it exists.
      named = s.at(i + 13);
    } else {
      return null;
    }
    String name = named.value().strip().toLowerCase(Locale.ROOT);
    if (name.isEmpty()) {
      return null;
    }
    StatementFacts facts = StatementFacts.of("SELECT", StatementClass.SESSION);
    facts.flags.add(RiskFlag.SETTING_CHANGE);
    facts.literalSensitive = true;
    facts.settings.put(name, s.at(i + 4).value());
    if (name.equals("role") || name.equals("session_authorization")) {
      facts.flags.add(RiskFlag.ROLE_CHANGE);
    }
    return facts;
  }

  private static boolean punct(LexedStatement s, int i, String p) {
    return s.at(i) != null && s.at(i).isPunct(p);
  }

  private static boolean string(Token t) {
    return t != null && t.type() == TokenType.STRING;
  }
}
