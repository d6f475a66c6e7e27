package dev.gatehouse.engine.sql;

import dev.gatehouse.engine.sql.lex.LexedStatement;
import dev.gatehouse.engine.sql.lex.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** SET and RESET in all their forms, recorded as setting names and values. */
final class SettingStatements {

  private SettingStatements() {}

  static StatementFacts set(LexedStatement s) {
    int i = 1;
    if (s.wordsAt(1, "transaction")) {
      StatementFacts facts = StatementFacts.of("SET", StatementClass.TRANSACTION);
      if (UtilityClassifier.readWrite(s)) {
        facts.flags.add(RiskFlag.READ_WRITE_TRANSACTION);
      }
      return facts;
    }
    if (s.wordsAt(1, "session", "characteristics")) {
      StatementFacts facts = changed("SET");
      if (UtilityClassifier.readWrite(s)) {
        facts.flags.add(RiskFlag.READ_WRITE_TRANSACTION);
        facts.settings.put("default_transaction_read_only", "off");
      } else if (UtilityClassifier.indexOfWord(s, "only", 2) >= 0) {
        facts.settings.put("default_transaction_read_only", "on");
      }
      if (UtilityClassifier.indexOfWord(s, "isolation", 2) >= 0) {
        facts.settings.put(
            "default_transaction_isolation",
            values(s, UtilityClassifier.indexOfWord(s, "level", 2) + 1));
      }
      return facts;
    }
    if ((s.wordsAt(1, "session") && !s.wordsAt(1, "session", "authorization"))
        || s.wordsAt(1, "local")) {
      i = 2;
    }
    StatementFacts facts = changed("SET");
    if (s.wordsAt(i, "role")) {
      role(facts, "role", values(s, i + 1));
    } else if (s.wordsAt(i, "session", "authorization")) {
      role(facts, "session_authorization", values(s, i + 2));
    } else if (s.wordsAt(i, "time", "zone")) {
      facts.settings.put("timezone", values(s, i + 2));
    } else if (s.wordsAt(i, "schema")) {
      facts.settings.put("search_path", values(s, i + 1));
    } else if (s.wordsAt(i, "names")) {
      facts.settings.put("client_encoding", values(s, i + 1));
    } else if (s.wordsAt(i, "xml", "option")) {
      facts.settings.put("xmloption", values(s, i + 2));
    } else {
      List<String> name = new ArrayList<>();
      while (s.at(i) != null && s.at(i).isIdentifier()) {
        name.add(s.at(i).value());
        i++;
        if (s.at(i) != null && s.at(i).isPunct(".")) {
          i++;
        } else {
          break;
        }
      }
      if (name.isEmpty()) {
        facts.flags.add(RiskFlag.PARSE_FAILURE);
        facts.settings.put("?", "?");
        return facts;
      }
      String key = String.join(".", name).toLowerCase(Locale.ROOT);
      Token op = s.at(i);
      if (op != null && (op.isWord("to") || op.value().equals("="))) {
        facts.settings.put(key, values(s, i + 1));
      } else if (op != null && op.isWord("from")) {
        facts.settings.put(key, "current");
      } else {
        facts.flags.add(RiskFlag.PARSE_FAILURE);
        facts.settings.put(key, "?");
      }
      if (key.equals("role") || key.equals("session_authorization")) {
        facts.flags.add(RiskFlag.ROLE_CHANGE);
      }
    }
    return facts;
  }

  static StatementFacts reset(LexedStatement s) {
    StatementFacts facts = changed("RESET");
    if (s.wordsAt(1, "session", "authorization")) {
      role(facts, "session_authorization", "default");
    } else if (s.wordsAt(1, "role")) {
      role(facts, "role", "default");
    } else if (s.wordsAt(1, "time", "zone")) {
      facts.settings.put("timezone", "default");
    } else if (s.at(1) != null && s.at(1).isIdentifier()) {
      StringBuilder name = new StringBuilder(s.at(1).value());
      for (int i = 2; s.at(i) != null && s.at(i).isPunct(".") && s.at(i + 1) != null; i += 2) {
        name.append('.').append(s.at(i + 1).value());
      }
      facts.settings.put(name.toString().toLowerCase(Locale.ROOT), "default");
    } else {
      facts.flags.add(RiskFlag.PARSE_FAILURE);
      facts.settings.put("?", "?");
    }
    return facts;
  }

  private static StatementFacts changed(String tag) {
    StatementFacts facts = StatementFacts.of(tag, StatementClass.SESSION);
    facts.flags.add(RiskFlag.SETTING_CHANGE);
    facts.literalSensitive = true;
    return facts;
  }

  private static void role(StatementFacts facts, String setting, String value) {
    facts.settings.put(setting, value);
    facts.flags.add(RiskFlag.ROLE_CHANGE);
  }

  /** The value list from {@code i}: names, strings and numbers, comma-separated. */
  static String values(LexedStatement s, int i) {
    StringBuilder out = new StringBuilder();
    for (; i >= 0 && i < s.size(); i++) {
      Token t = s.at(i);
      if (t.isPunct(",")) {
        out.append(", ");
      } else {
        if (!out.isEmpty() && !out.toString().endsWith(" ")) {
          out.append(' ');
        }
        out.append(t.value());
      }
    }
    return out.toString();
  }
}
