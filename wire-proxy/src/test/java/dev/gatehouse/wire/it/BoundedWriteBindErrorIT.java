package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.ReferencePrincipal;
import dev.gatehouse.testkit.TestPostgres;
import dev.gatehouse.wire.protocol.backend.BackendMessage;
import dev.gatehouse.wire.protocol.backend.ErrorResponse;
import dev.gatehouse.wire.protocol.frontend.Bind;
import dev.gatehouse.wire.protocol.frontend.Describe;
import dev.gatehouse.wire.protocol.frontend.Execute;
import dev.gatehouse.wire.protocol.frontend.Parse;
import dev.gatehouse.wire.protocol.frontend.Query;
import dev.gatehouse.wire.protocol.frontend.Sync;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A write under etl-nightly's row bound whose Bind fails (wrong parameter count, a value of the
 * wrong type) gets PostgreSQL's error and ReadyForQuery, and the connection stays usable (red-team
 * round 7: the connection hung, the gateway waiting for answers PostgreSQL never sends after an
 * error before the Sync).
 */
class BoundedWriteBindErrorIT {

  static ProxyFixture proxy;

  @BeforeAll
  static void start() {
    proxy = ProxyFixture.reference(TestPostgres.get().createShopDatabase("wire_bind_error"), "");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "UPDATE app.orders SET note = note WHERE id = $1||08P01",
        "UPDATE app.orders SET note = note WHERE id = $1|1,2|08P01",
        "UPDATE app.orders SET note = note WHERE id = $1|abc|22P02",
        "DELETE FROM app.orders WHERE id = $1||08P01",
        "INSERT INTO app.orders (customer_id, note) VALUES ($1, $2)|1|08P01",
      })
  void aFailedBindOfABoundedWriteIsAnsweredAndTheSessionGoesOn(
      String sql, String params, String sqlState) throws Exception {
    List<byte[]> values =
        params == null
            ? List.of()
            : java.util.Arrays.stream(params.split(","))
                .map(v -> v.getBytes(StandardCharsets.UTF_8))
                .toList();
    for (boolean inTransaction : new boolean[] {false, true}) {
      try (RawClient raw =
          RawClient.login(
              proxy.server.port(),
              ReferencePrincipal.ETL_NIGHTLY.subject(),
              TestPostgres.SHOP,
              ProxyFixture.token(ReferencePrincipal.ETL_NIGHTLY))) {
        if (inTransaction) {
          raw.send(new Query("BEGIN"));
          raw.until('Z');
        }
        raw.socket.setSoTimeout(20_000); // a hang fails the test, not the build
        raw.send(
            new Parse("", sql, List.of()),
            new Bind("", "", List.of(), values, List.of()),
            new Describe('P', ""),
            new Execute("", 0),
            new Sync());
        List<BackendMessage> answers = raw.until('Z');
        ErrorResponse error =
            (ErrorResponse)
                answers.stream().filter(m -> m instanceof ErrorResponse).findFirst().orElse(null);
        assertThat(error).as(sql + " " + params + ": " + answers).isNotNull();
        assertThat(error.sqlState()).isEqualTo(sqlState);
        raw.send(new Query(inTransaction ? "ROLLBACK" : "SELECT 1"));
        assertThat(raw.until('Z')).as("the session goes on").isNotEmpty();
        raw.send(new Query("SELECT 2"));
        assertThat(raw.until('Z').stream().map(Object::toString).toList().toString())
            .doesNotContain("ErrorResponse");
      }
    }
  }
}
