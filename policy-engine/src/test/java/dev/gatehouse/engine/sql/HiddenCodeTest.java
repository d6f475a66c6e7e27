package dev.gatehouse.engine.sql;

import static dev.gatehouse.engine.sql.AnalyzerFixture.one;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Schema changes that make code run later, unseen, are flagged; look-alikes are not. */
class HiddenCodeTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CREATE FUNCTION app.f() RETURNS text SECURITY DEFINER LANGUAGE sql AS $$SELECT 1$$",
        "CREATE OR REPLACE FUNCTION app.f() RETURNS text LANGUAGE sql security definer AS 'select 1'",
        "CREATE FUNCTION app.f() RETURNS int EXTERNAL SECURITY DEFINER LANGUAGE sql AS 'select 1'",
        "CREATE PROCEDURE app.p() LANGUAGE sql SECURITY DEFINER AS $$DELETE FROM app.customers$$",
        "ALTER FUNCTION app.customer_email(bigint) SECURITY DEFINER",
        "ALTER ROUTINE app.customer_email(bigint) SECURITY DEFINER",
        "ALTER PROCEDURE app.p() SECURITY DEFINER",
        "ALTER FUNCTION app.customer_email(bigint) OWNER TO gatehouse_owner",
        "ALTER TABLE app.orders OWNER TO gatehouse_writer",
        "ALTER VIEW app.v OWNER TO CURRENT_USER",
        "ALTER SCHEMA app OWNER TO gatehouse_writer",
      })
  void definerRightsAreFlagged(String sql) {
    assertTrue(one(sql).riskFlags().contains(RiskFlag.DEFINER_RIGHTS), sql);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CREATE TRIGGER t AFTER UPDATE ON app.orders FOR EACH ROW EXECUTE FUNCTION app.f()",
        "CREATE OR REPLACE TRIGGER t BEFORE INSERT ON app.orders EXECUTE PROCEDURE app.f()",
        "CREATE CONSTRAINT TRIGGER t AFTER INSERT ON app.orders FOR EACH ROW EXECUTE FUNCTION app.f()",
        "CREATE RULE r AS ON UPDATE TO app.orders DO ALSO UPDATE app.customers SET full_name = ''",
        "CREATE OR REPLACE RULE r AS ON INSERT TO app.orders DO INSTEAD NOTHING",
        "ALTER TABLE app.orders ENABLE TRIGGER t",
        "ALTER TABLE app.orders ENABLE ALWAYS TRIGGER t",
        "ALTER TABLE app.orders ENABLE REPLICA RULE r",
      })
  void triggersAndRulesAreFlagged(String sql) {
    assertTrue(one(sql).riskFlags().contains(RiskFlag.HIDDEN_WRITE), sql);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CREATE FUNCTION app.f() RETURNS text LANGUAGE sql AS $$SELECT 'security definer'$$",
        "CREATE FUNCTION app.f() RETURNS text LANGUAGE sql AS 'SELECT ''owner to x'''",
        "ALTER TABLE app.orders RENAME COLUMN owner TO holder",
        "ALTER TABLE app.orders RENAME owner TO holder",
        "ALTER TABLE app.orders DISABLE TRIGGER t",
        "CREATE TABLE app.triggers (rule text, owner text)",
        "SELECT 'create trigger' AS x",
      })
  void lookAlikesAreNotFlagged(String sql) {
    var flags = one(sql).riskFlags();
    assertFalse(flags.contains(RiskFlag.DEFINER_RIGHTS), sql);
    assertFalse(flags.contains(RiskFlag.HIDDEN_WRITE), sql);
  }
}
