package dev.gatehouse.slack.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.slack.outbox.SlackStore.JobKind;
import dev.gatehouse.slack.testing.ControlDatabases;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The store contract on the real test PostgreSQL, plus what only a shared database adds. */
class JdbcSlackStoreIT extends SlackStoreContract {

  private DataSource dataSource;

  @Override
  SlackStore newStore() {
    dataSource = ControlDatabases.create();
    return JdbcSlackStore.open(dataSource, JdbcSlackStore.DEFAULT_SCHEMA);
  }

  @Test
  void twoInstancesNeverLeaseTheSameJob() {
    SlackStore other = JdbcSlackStore.open(dataSource, JdbcSlackStore.DEFAULT_SCHEMA);
    UUID id = UUID.randomUUID();
    store.enqueue(id, JobKind.MESSAGE, now);

    int leasedHere = store.lease(now, LEASE, 100).size();
    int leasedThere = other.lease(now, LEASE, 100).size();

    assertThat(leasedHere + leasedThere).isEqualTo(1);
  }

  @Test
  void survivesARestart() {
    UUID id = UUID.randomUUID();
    store.enqueue(id, JobKind.MESSAGE, now);

    SlackStore restarted = JdbcSlackStore.open(dataSource, JdbcSlackStore.DEFAULT_SCHEMA);

    assertThat(restarted.lease(now, LEASE, 100)).extracting(SlackStore.Job::requestId).contains(id);
  }

  @Test
  void refusesAnUnsafeSchemaName() {
    assertThatThrownBy(() -> JdbcSlackStore.open(dataSource, "x; DROP TABLE y"))
        .hasMessageContaining("`x; DROP TABLE y` must be a lower-case identifier");
  }
}
