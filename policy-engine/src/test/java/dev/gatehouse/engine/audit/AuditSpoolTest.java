package dev.gatehouse.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditSpoolTest {

  @TempDir Path dir;

  static AuditRecord record(String body) {
    return new AuditRecord(UUID.randomUUID(), RecordKind.AUTHENTICATION, Instant.now(), body);
  }

  @Test
  void recordsSurviveReopeningInOrder() throws Exception {
    List<AuditRecord> written =
        List.of(record("{\"a\":\"line\\nbreak\"}"), record("{}"), record("{\"b\":1}"));
    try (AuditSpool spool = AuditSpool.open(dir)) {
      spool.append(written.subList(0, 2));
      spool.append(written.subList(2, 3));
      spool.force();
    }
    List<AuditRecord> read = new ArrayList<>();
    try (AuditSpool spool = AuditSpool.open(dir)) {
      assertThat(spool.isEmpty()).isFalse();
      spool.read(2, read::addAll);
      spool.clear();
      assertThat(spool.isEmpty()).isTrue();
    }
    assertThat(read).isEqualTo(written);
  }

  @Test
  void tornLastLineIsSkipped() throws Exception {
    AuditRecord r = record("{}");
    try (AuditSpool spool = AuditSpool.open(dir)) {
      spool.append(List.of(r));
    }
    Files.writeString(
        dir.resolve("audit-spool.jsonl"),
        "{\"id\":\"0000",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    // The next run appends after the torn line; its records must not be glued to it.
    AuditRecord next = record("{\"after\":\"crash\"}");
    List<AuditRecord> read = new ArrayList<>();
    try (AuditSpool spool = AuditSpool.open(dir)) {
      spool.append(List.of(next));
      spool.read(10, read::addAll);
    }
    assertThat(read).containsExactly(r, next);
  }

  @Test
  void oneInstancePerDirectory() throws Exception {
    try (AuditSpool spool = AuditSpool.open(dir)) {
      assertThat(spool.isEmpty()).isTrue();
      assertThatThrownBy(() -> AuditSpool.open(dir))
          .hasMessageContaining("is in use by another gateway instance");
    }
  }
}
