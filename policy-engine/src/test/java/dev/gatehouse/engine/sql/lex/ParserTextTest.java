package dev.gatehouse.engine.sql.lex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ParserTextTest {

  private static ParserText text(String sql) throws LexException {
    return ParserText.of(Lexer.tokenize(sql));
  }

  @Test
  void psqlOperatorFormBecomesThePlainOperator() throws LexException {
    assertEquals(
        "select1fromtwherec.relname~'s0'collatepg_catalog.default",
        text("SELECT 1 FROM t WHERE c.relname OPERATOR(pg_catalog.~) '^(x)$' COLLATE pg_catalog.default")
            .text()
            .replaceAll("\\s+", "")
            .toLowerCase());
  }

  @Test
  void operatorOfAnotherSchemaIsLeftForTheParserToRefuse() throws LexException {
    assertEquals(
        "selectaoperator(evil.~)b",
        text("SELECT a OPERATOR(evil.~) b").text().replaceAll("\\s+", "").toLowerCase());
  }

  @Test
  void equalLiteralsShareAPlaceholder() throws LexException {
    ParserText t = text("SELECT 'a' = E'a', 'b'");
    assertEquals("select's0'='s0','s1'", t.text().replaceAll("\\s+", "").toLowerCase());
    assertEquals("a", t.literal("s0"));
    assertEquals("b", t.literal("s1"));
  }

  @Test
  void tableQueryBecomesSelectStar() throws LexException {
    assertEquals(
        "select*from(select*fromapp.t)x",
        text("SELECT * FROM (TABLE app.t) x").text().replaceAll("\\s+", "").toLowerCase());
    assertEquals("locktablet", text("LOCK TABLE t").text().replaceAll("\\s+", "").toLowerCase());
  }

  @Test
  void numbersAreWrittenInDecimal() throws LexException {
    assertEquals(
        "select31,1000,5",
        text("SELECT 0x1F, 1_000, 0b101").text().replaceAll("\\s+", "").toLowerCase());
  }

  @Test
  void commentsBecomeSpace() throws LexException {
    assertEquals(
        "deletefromt", text("DELETE/**/FROM t").text().replaceAll("\\s+", "").toLowerCase());
  }
}
