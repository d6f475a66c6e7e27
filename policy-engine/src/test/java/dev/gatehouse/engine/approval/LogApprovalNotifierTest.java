package dev.gatehouse.engine.approval;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.LoggerFactory;

class LogApprovalNotifierTest extends ApprovalNotifierContract {

  final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(LogApprovalNotifier.class);

  @BeforeEach
  void capture() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
  }

  @Override
  ApprovalNotifier notifier() {
    return new LogApprovalNotifier();
  }

  @Override
  List<String> delivered() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
