package dev.gatehouse.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AuditOutageTest {

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(AuditOutage.class);

  @BeforeEach
  void capture() {
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logs);
  }

  @Test
  void oneWarnWhenTheFirstCauseBeginsAndOneInfoWhenTheLastEnds() {
    AuditOutage outage = new AuditOutage();
    assertThat(outage.down()).isFalse();
    outage.begin(AuditOutage.Cause.NOT_DURABLE_IN_TIME, "slow");
    outage.begin(AuditOutage.Cause.CONTROL_DATABASE, "down");
    outage.begin(AuditOutage.Cause.CONTROL_DATABASE, "still down");
    outage.refusedOne();
    outage.refusedOne();
    assertThat(outage.down()).isTrue();
    outage.end(AuditOutage.Cause.CONTROL_DATABASE, "replayed 3");
    assertThat(outage.down()).as("a timeout is still a cause").isTrue();
    outage.durableAgain();
    outage.durableAgain();
    outage.end(AuditOutage.Cause.LOCAL_LOG, null); // never began: no line
    assertThat(outage.down()).isFalse();
    assertThat(logs.list)
        .extracting(ILoggingEvent::getLevel)
        .containsExactly(Level.WARN, Level.INFO);
    assertThat(logs.list.get(0).getFormattedMessage())
        .isEqualTo("audit trail unavailable, governed statements are refused: slow");
    assertThat(logs.list.get(1).getFormattedMessage())
        .startsWith("audit trail available again after ")
        .endsWith("governed statements are served (2 refused meanwhile)");
  }
}
