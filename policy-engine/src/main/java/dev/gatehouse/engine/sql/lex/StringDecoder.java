package dev.gatehouse.engine.sql.lex;

/** Decodes the bodies of the string constant forms. */
final class StringDecoder {

  private StringDecoder() {}

  /** {@code '...'}: doubled quotes only; a backslash is an ordinary character. */
  static String standard(Lexer lexer, int from) throws LexException {
    return lexer.quoted('\'', from);
  }

  /**
   * {@code B'...'} and {@code X'...'}: up to the next quote. PostgreSQL knows no doubled quote in
   * them: {@code X'1''0'} is {@code X'1'} and then another constant (red-team round 41).
   */
  static String bits(Lexer lexer, int from) throws LexException {
    String src = lexer.source();
    int close = src.indexOf('\'', from);
    if (close < 0) {
      throw new LexException("unterminated bit string constant");
    }
    lexer.moveTo(close + 1);
    return src.substring(from, close);
  }

  /** {@code E'...'}: C-style backslash escapes, and doubled quotes. */
  static String escaped(Lexer lexer, int from) throws LexException {
    String src = lexer.source();
    StringBuilder out = new StringBuilder();
    int i = from;
    while (true) {
      if (i >= src.length()) {
        throw new LexException("unterminated quoted string");
      }
      char c = src.charAt(i);
      if (c == '\'') {
        if (i + 1 < src.length() && src.charAt(i + 1) == '\'') {
          out.append('\'');
          i += 2;
          continue;
        }
        lexer.moveTo(i + 1);
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 >= src.length()) {
        throw new LexException("unterminated quoted string");
      }
      char n = src.charAt(i + 1);
      i += 2;
      switch (n) {
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'x' -> {
          int end = i;
          while (end < src.length() && end < i + 2 && isHex(src.charAt(end))) {
            end++;
          }
          if (end == i) {
            out.append('x');
          } else {
            out.append((char) Integer.parseInt(src.substring(i, end), 16));
            i = end;
          }
        }
        case 'u', 'U' -> {
          int len = n == 'u' ? 4 : 8;
          if (i + len > src.length() || !allHex(src, i, i + len)) {
            throw new LexException("invalid Unicode escape in E'' string");
          }
          out.appendCodePoint(Integer.parseInt(src.substring(i, i + len), 16));
          i += len;
        }
        default -> {
          if (n >= '0' && n <= '7') {
            int end = i;
            while (end < src.length()
                && end < i + 2
                && src.charAt(end) >= '0'
                && src.charAt(end) <= '7') {
              end++;
            }
            out.append((char) Integer.parseInt(src.substring(i - 1, end), 8));
            i = end;
          } else {
            out.append(n);
          }
        }
      }
    }
  }

  /** The escapes of a {@code U&} constant: {@code \XXXX} and {@code \+XXXXXX}, escape doubled. */
  static String unicode(String raw, char escape, int offset) throws LexException {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != escape) {
        out.append(c);
        continue;
      }
      if (i + 1 < raw.length() && raw.charAt(i + 1) == escape) {
        out.append(escape);
        i++;
      } else if (i + 5 <= raw.length() && allHex(raw, i + 1, i + 5)) {
        out.appendCodePoint(Integer.parseInt(raw.substring(i + 1, i + 5), 16));
        i += 4;
      } else if (i + 8 <= raw.length() && raw.charAt(i + 1) == '+' && allHex(raw, i + 2, i + 8)) {
        out.appendCodePoint(Integer.parseInt(raw.substring(i + 2, i + 8), 16));
        i += 7;
      } else {
        throw new LexException("invalid Unicode escape in U& literal at offset " + offset);
      }
    }
    return out.toString();
  }

  private static boolean allHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isHex(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** ASCII hex digits only, as PostgreSQL's scanner ({@code Character.digit} takes others). */
  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
