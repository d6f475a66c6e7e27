package dev.gatehouse.engine.sql.lex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class FingerprintTest {

  private static String fp(String sql) throws LexException {
    return Fingerprint.of(Splitter.split(sql));
  }

  @Test
  void literalsCaseAndLayoutDoNotMatter() throws LexException {
    String a = fp("SELECT * FROM app.orders WHERE id = 42 AND note = 'x'");
    assertEquals(a, fp("select *\n  from APP.orders /* c */ where id = 7 and note = E'y\\n'"));
    assertEquals(a, fp("SELECT * FROM app.orders WHERE id = 1_000 AND note = $$z$$"));
    assertEquals("select * from app . orders where id = ? and note = '?'", a);
  }

  @Test
  void identifiersAndStructureDo() throws LexException {
    String a = fp("SELECT * FROM app.orders WHERE id = 1");
    assertNotEquals(a, fp("SELECT * FROM app.payments WHERE id = 1"));
    assertNotEquals(a, fp("SELECT * FROM app.\"Orders\" WHERE id = 1"));
    assertNotEquals(a, fp("SELECT * FROM app.orders WHERE id = 1; SELECT 1"));
    assertNotEquals(fp("SELECT \"a\""), fp("SELECT 'a'"));
    assertNotEquals(fp("SELECT 1"), fp("SELECT '1'"));
  }
}
