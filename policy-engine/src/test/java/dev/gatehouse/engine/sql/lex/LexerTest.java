package dev.gatehouse.engine.sql.lex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LexerTest {

  private static Token only(String sql, TokenType type) throws LexException {
    List<Token> tokens = Lexer.tokenize(sql);
    assertEquals(1, tokens.size(), () -> "tokens of " + sql + ": " + tokens);
    assertEquals(type, tokens.getFirst().type());
    return tokens.getFirst();
  }

  /**
   * Red-team round 40: {@code $١} (U+0661, a digit to Java) was read as a parameter, and the text
   * after it as a string that hid a statement. PostgreSQL's digits are {@code 0-9}; any other
   * character may only be part of a name or of a dollar quote's tag.
   */
  @Test
  void onlyAsciiDigitsAreDigits() throws LexException {
    for (String digit : List.of("\u0661", "\u0967", "\uff11", "\u00b9")) {
      String tag = "$" + digit + "$";
      List<Token> tokens = Lexer.tokenize("SELECT " + tag + "x$ " + tag + " AS y, ssn -- $x$");
      assertEquals(TokenType.STRING, tokens.get(1).type(), () -> digit + ": " + tokens);
      assertEquals("x$ ", tokens.get(1).value());
      assertEquals("ssn", tokens.getLast().value(), () -> digit + ": " + tokens);
      assertThrows(LexException.class, () -> Lexer.tokenize("SELECT $" + digit));
    }
    assertEquals(TokenType.PARAM, only("$12", TokenType.PARAM).type());
    assertEquals("0x1f", only("0x1f", TokenType.NUMBER).value());
    assertEquals(2, Lexer.tokenize("1\u0661").size());
    // E'' hex escapes take ASCII hex digits only; \x then another character is an x
    assertEquals("x\uff11", only("E'\\x\uff11'", TokenType.STRING).value());
  }

  /** PostgreSQL's quotecontinue: the rule for the whitespace between, and the form kept. */
  @Test
  void aContinuedConstantKeepsItsFormAsPostgresqlReadsIt() throws LexException {
    // the continued part of an E'' constant takes escapes: \' does not end it
    List<Token> e = Lexer.tokenize("SELECT E'x'\n'\\'; DELETE FROM t; --'");
    assertEquals(2, e.size(), () -> e.toString());
    assertEquals("x'; DELETE FROM t; --", e.get(1).value());
    // a -- comment before the newline is horizontal whitespace to the server
    assertEquals("ab", only("'a' -- c\n'b'", TokenType.STRING).value());
    assertEquals("ab", only("'a'\n-- c\n  'b'", TokenType.STRING).value());
    // a block comment is not: two constants (the server then fails on them)
    assertThrows(LexException.class, () -> Lexer.tokenize("'a'\n/* c */'b'"));
    assertThrows(LexException.class, () -> Lexer.tokenize("'a' 'b'"));
    assertThrows(LexException.class, () -> Lexer.tokenize("SELECT U&'a'\n'b'"));
    // a bit string goes on as a bit string; in it a doubled quote is two constants (round 41)
    assertEquals("10", Lexer.tokenize("SELECT B'1'\n'0'").get(1).value());
    assertThrows(LexException.class, () -> Lexer.tokenize("SELECT X'1''0'"));
    // a vertical tab is no space to PostgreSQL 16 (a syntax error there)
    assertThrows(LexException.class, () -> Lexer.tokenize("SELECT\u000B1"));
  }

  /** Red-team round 42: an octal or hex escape is a byte, and the bytes are UTF-8. */
  @Test
  void escapesAreBytesOfUtf8AsInPostgresql() throws LexException {
    assertEquals("\u00e9", only("E'\\xC3\\xA9'", TokenType.STRING).value());
    assertEquals("\u00e9", only("E'\\303\\251'", TokenType.STRING).value());
    assertEquals("o", only("E'\\557'", TokenType.STRING).value());
    assertEquals("\ud83d\ude00", only("E'\\ud83d\\ude00'", TokenType.STRING).value());
    for (String refused :
        List.of("E'\\0'", "E'\\xff'", "E'\\777'", "E'\\ud83d'", "E'\\ude00'", "U&'\\de00'")) {
      assertThrows(LexException.class, () -> Lexer.tokenize(refused), refused);
    }
  }

  @Test
  void standardStringDoublesQuotesAndKeepsBackslashes() throws LexException {
    assertEquals("it's", only("'it''s'", TokenType.STRING).value());
    assertEquals("a\\", only("'a\\'", TokenType.STRING).value());
  }

  @Test
  void escapeStringDecodesBackslashes() throws LexException {
    assertEquals("';DROP", only("E'\\';DROP'", TokenType.STRING).value());
    assertEquals("a\nb\tc\\d", only("e'a\\nb\\tc\\\\d'", TokenType.STRING).value());
    assertEquals("AB", only("E'\\x41\\102'", TokenType.STRING).value());
    assertEquals("é", only("E'\\u00e9'", TokenType.STRING).value());
    assertEquals("x'y", only("E'x''y'", TokenType.STRING).value());
  }

  @Test
  void unicodeStringAndIdentifierAreDecoded() throws LexException {
    assertEquals("data", only("U&'d\\0061t\\+000061'", TokenType.STRING).value());
    assertEquals("pg_read_file", only("U&\"pg_read_fil\\0065\"", TokenType.QUOTED_IDENT).value());
    assertEquals("data", only("U&'d!0061ta' UESCAPE '!'", TokenType.STRING).value());
    assertEquals("a\\b", only("U&'a\\\\b'", TokenType.STRING).value());
  }

  @Test
  void quotedIdentifiersKeepCaseAndUnquotedFold() throws LexException {
    assertEquals("MyTable", only("\"MyTable\"", TokenType.QUOTED_IDENT).value());
    assertEquals("a\"b", only("\"a\"\"b\"", TokenType.QUOTED_IDENT).value());
    assertEquals("mytable", only("MyTable", TokenType.WORD).value());
  }

  @Test
  void dollarQuotesWithAndWithoutTags() throws LexException {
    assertEquals(";", only("$$;$$", TokenType.STRING).value());
    assertEquals("a $$ b", only("$x$a $$ b$x$", TokenType.STRING).value());
    assertEquals("$1", only("$1", TokenType.PARAM).value());
    assertEquals(List.of("a$b"), Lexer.tokenize("a$b").stream().map(Token::value).toList());
  }

  @Test
  void commentsNestAndVanish() throws LexException {
    List<Token> tokens = Lexer.tokenize("SELECT /* a /* b; */ c; */ 1 -- x; y\n, 2");
    assertEquals(List.of("select", "1", ",", "2"), tokens.stream().map(Token::value).toList());
    assertEquals(true, tokens.get(1).spaceBefore());
  }

  @Test
  void operatorsFollowTheServersRules() throws LexException {
    assertEquals(
        List.of("a", "<>", "b", "::", "text", "||", "'x'"),
        Lexer.tokenize("a<>b::text||'x'").stream()
            .map(t -> t.type() == TokenType.STRING ? "'" + t.value() + "'" : t.value())
            .toList());
    // `*-` ends without `-` unless the operator has one of ~!@#%^&|`?
    assertEquals(
        List.of("a", "*", "-", "1"), Lexer.tokenize("a*-1").stream().map(Token::value).toList());
    assertEquals(List.of("1", "-"), Lexer.tokenize("1--2\n-").stream().map(Token::value).toList());
  }

  static List<String> invalid() {
    return List.of(
        "'open",
        "E'open\\'",
        "\"open",
        "$$open",
        "$tag$open$ta$",
        "/* open /* nested */",
        "U&'\\zz'",
        "SELECT {1}",
        "SELECT \"\"");
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void unterminatedOrInvalidInputIsRefused(String sql) {
    assertThrows(LexException.class, () -> Lexer.tokenize(sql));
  }

  @Test
  void adjacentStringsOnNewLinesAreOneConstant() throws LexException {
    assertEquals("ab", only("'a'\n'b'", TokenType.STRING).value());
  }

  @Test
  void numbersInAllForms() throws LexException {
    assertEquals("1_000", only("1_000", TokenType.NUMBER).value());
    assertEquals("0x1F", only("0x1F", TokenType.NUMBER).value());
    assertEquals("1.5e-3", only("1.5e-3", TokenType.NUMBER).value());
    assertEquals(".5", only(".5", TokenType.NUMBER).value());
  }
}
