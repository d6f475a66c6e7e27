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

  /**
   * {@code E'...'}: C-style backslash escapes, and doubled quotes. As in PostgreSQL's scanner an
   * octal or hex escape is one byte, and the bytes of the whole constant must then be valid UTF-8
   * ({@code E'\\xc3\\xa9'} is {@code é}; {@code E'\\777'} and {@code E'\\0'} are errors there, and
   * refused here); a {@code \\u} escape of a high surrogate must be followed by one of a low
   * surrogate, and none may be zero.
   */
  static String escaped(Lexer lexer, int from) throws LexException {
    String src = lexer.source();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int i = from;
    while (true) {
      if (i >= src.length()) {
        throw new LexException("unterminated quoted string");
      }
      char c = src.charAt(i);
      if (c == '\'') {
        if (i + 1 < src.length() && src.charAt(i + 1) == '\'') {
          out.write('\'');
          i += 2;
          continue;
        }
        lexer.moveTo(i + 1);
        return utf8(out.toByteArray());
      }
      if (c != '\\') {
        int cp = src.codePointAt(i);
        codePoint(out, cp);
        i += Character.charCount(cp);
        continue;
      }
      if (i + 1 >= src.length()) {
        throw new LexException("unterminated quoted string");
      }
      char n = src.charAt(i + 1);
      i += 2;
      switch (n) {
        case 'b' -> out.write('\b');
        case 'f' -> out.write('\f');
        case 'n' -> out.write('\n');
        case 'r' -> out.write('\r');
        case 't' -> out.write('\t');
        case 'x' -> {
          int end = i;
          while (end < src.length() && end < i + 2 && isHex(src.charAt(end))) {
            end++;
          }
          if (end == i) {
            out.write('x');
          } else {
            out.write(Integer.parseInt(src.substring(i, end), 16));
            i = end;
          }
        }
        case 'u', 'U' -> {
          int len = n == 'u' ? 4 : 8;
          if (i + len > src.length() || !allHex(src, i, i + len)) {
            throw new LexException("invalid Unicode escape in E'' string");
          }
          long v = Long.parseLong(src.substring(i, i + len), 16);
          i += len;
          if (v >= 0xD800 && v <= 0xDBFF) {
            // the low half must follow as an escape of its own
            if (i + 6 > src.length()
                || src.charAt(i) != '\\'
                || src.charAt(i + 1) != 'u'
                || !allHex(src, i + 2, i + 6)) {
              throw new LexException("invalid Unicode surrogate pair in E'' string");
            }
            long low = Long.parseLong(src.substring(i + 2, i + 6), 16);
            if (low < 0xDC00 || low > 0xDFFF) {
              throw new LexException("invalid Unicode surrogate pair in E'' string");
            }
            v = Character.toCodePoint((char) v, (char) low);
            i += 6;
          }
          if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
            throw new LexException("invalid Unicode escape value in E'' string");
          }
          codePoint(out, (int) v);
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
            out.write(Integer.parseInt(src.substring(i - 1, end), 8) & 0xFF);
            i = end;
          } else {
            int cp = src.codePointAt(i - 1);
            codePoint(out, cp);
            i += Character.charCount(cp) - 1;
          }
        }
      }
    }
  }

  private static void codePoint(java.io.ByteArrayOutputStream out, int cp) {
    byte[] b = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }

  /** The bytes as UTF-8, refused when they are not valid UTF-8 or hold a zero byte. */
  private static String utf8(byte[] bytes) throws LexException {
    for (byte b : bytes) {
      if (b == 0) {
        throw new LexException("invalid byte sequence: a zero byte in an E'' string");
      }
    }
    try {
      return java.nio.charset.StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new LexException("invalid byte sequence for UTF-8 in an E'' string");
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
        continue;
      }
      int len = escapeLength(raw, i, escape);
      if (len == 0) {
        throw new LexException("invalid Unicode escape in U& literal at offset " + offset);
      }
      int v = escapeValue(raw, i, len);
      i += len - 1;
      if (Character.isHighSurrogate((char) v) && v <= 0xFFFF) {
        // as the server: the low half must follow, as an escape of its own
        int next = i + 1;
        int lowLen = next < raw.length() ? escapeLength(raw, next, escape) : 0;
        int low = lowLen == 0 ? -1 : escapeValue(raw, next, lowLen);
        if (low < 0xDC00 || low > 0xDFFF) {
          throw new LexException(
              "invalid Unicode surrogate pair in U& literal at offset " + offset);
        }
        v = Character.toCodePoint((char) v, (char) low);
        i = next + lowLen - 1;
      }
      if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        throw new LexException("invalid Unicode escape value in U& literal at offset " + offset);
      }
      out.appendCodePoint(v);
    }
    return out.toString();
  }

  /** The length of the escape at {@code i} ({@code \\XXXX}: 5, {@code \\+XXXXXX}: 8), or 0. */
  private static int escapeLength(String raw, int i, char escape) {
    if (raw.charAt(i) != escape) {
      return 0;
    }
    if (i + 5 <= raw.length() && allHex(raw, i + 1, i + 5)) {
      return 5;
    }
    if (i + 8 <= raw.length() && raw.charAt(i + 1) == '+' && allHex(raw, i + 2, i + 8)) {
      return 8;
    }
    return 0;
  }

  private static int escapeValue(String raw, int i, int len) {
    return Integer.parseInt(raw.substring(i + len - (len == 5 ? 4 : 6), i + len), 16);
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
