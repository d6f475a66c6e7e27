package dev.gatehouse.wire.flow;

import dev.gatehouse.engine.admission.SqlState;
import dev.gatehouse.wire.protocol.frontend.StartupMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a client presents its token, chosen before the gateway asks for it: PostgreSQL asks for one
 * authentication method per connection, and a client that can only send a password (pgjdbc, libpq
 * before 18) fails on a SASL request offering OAUTHBEARER alone. A client picks with the gateway's
 * own setting {@code gatehouse.auth} in its startup {@code options} ({@code -c
 * gatehouse.auth=oauthbearer} or {@code password}), read as PostgreSQL reads {@code options}.
 */
public final class AuthChoice {

  /** The two ways to present the token. */
  public enum Method {
    PASSWORD,
    OAUTHBEARER
  }

  static final String SETTING = "gatehouse.auth";

  private AuthChoice() {}

  /** The method the client's startup options ask for, or null when they name none. */
  public static Method requested(StartupMessage startup) {
    String options = startup.parameters().get("options");
    if (options == null) {
      return null;
    }
    List<String> words = words(options);
    Method method = null;
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      String setting = null;
      if (w.equals("-c") && i + 1 < words.size()) {
        setting = words.get(++i);
      } else if (w.startsWith("-c")) {
        setting = w.substring(2);
      } else if (w.startsWith("--")) {
        setting = w.substring(2);
      }
      int eq = setting == null ? -1 : setting.indexOf('=');
      if (eq > 0 && setting.substring(0, eq).replace('-', '_').equalsIgnoreCase(SETTING)) {
        method = method(setting.substring(eq + 1));
      }
    }
    return method;
  }

  private static Method method(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "password" -> Method.PASSWORD;
      case "oauthbearer" -> Method.OAUTHBEARER;
      default ->
          throw new StartupRefused(
              SqlState.INVALID_AUTHORIZATION,
              "unknown `"
                  + SETTING
                  + "` value `"
                  + (value.length() > 40 ? value.substring(0, 40) + "…" : value)
                  + "`; use `password` or `oauthbearer`");
    };
  }

  /** Splits on white space; a backslash takes the next character as it is (PostgreSQL's rule). */
  private static List<String> words(String options) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < options.length(); i++) {
      char c = options.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if (c == '\\' && i + 1 < options.length()) {
        word.append(options.charAt(++i));
        inWord = true;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
