package dev.gatehouse.engine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.engine.upstream.UpstreamTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reference policy's upstream roles reach the real test PostgreSQL as themselves. */
class ReferencePolicyIT {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gatehouse_reader",
        "gatehouse_reader_cleared",
        "gatehouse_writer",
        "gatehouse_owner"
      })
  void upstreamTargetsLogIn(String role) throws Exception {
    UpstreamTarget target = ReferencePolicy.load().upstream("shop", role);
    String url =
        "jdbc:postgresql://" + target.host() + ":" + target.port() + "/" + target.database();
    try (Connection c = DriverManager.getConnection(url, target.user(), target.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_user, current_database()")) {
      rs.next();
      assertEquals(role, rs.getString(1));
      assertEquals("shop", rs.getString(2));
    }
  }
}
