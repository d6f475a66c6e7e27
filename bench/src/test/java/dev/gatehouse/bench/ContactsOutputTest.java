package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactsOutputTest {

  @TempDir Path dir;

  @Test
  void maskedLinesHideEmailPhoneAndAllButTheLastFourCardDigits() {
    assertThat(ContactsTable.line(42, true))
        .startsWith("42|Contact 42|c****@bench.example|****|************0042|Ogdenville|")
        .endsWith("batch 42");
    assertThat(ContactsTable.line(42, false))
        .startsWith("42|Contact 42|contact42@bench.example|+1-202-555-0042|4000000000000042|");
  }

  @Test
  void acceptsEveryRowOnceInAnyOrder() throws Exception {
    Path file = write(List.of(line(3, true), line(1, true), line(2, true)));
    ContactsOutput.Checked checked = ContactsOutput.verify(file, 3, true);
    assertThat(checked.lines()).isEqualTo(3);
    assertThat(checked.clearValues()).isZero();
    assertThat(ContactsOutput.verify(write(lines(3, false)), 3, false).clearValues()).isEqualTo(3);
  }

  @Test
  void refusesAClearCardNumberInAMaskedOutput() throws Exception {
    List<String> lines = lines(3, true);
    lines.set(1, lines.get(1).replace("************0002", "4000000000000002"));
    assertThatThrownBy(() -> ContactsOutput.verify(write(lines), 3, true))
        .hasMessageContaining("1 lines carry a clear email, phone or card number")
        .hasMessageContaining("line 2: expected");
  }

  @Test
  void refusesAMissingOrRepeatedRow() throws Exception {
    assertThatThrownBy(() -> ContactsOutput.verify(write(lines(2, true)), 3, true))
        .hasMessageContaining("2 lines, 2 ids, expected 3");
    List<String> repeated = lines(3, true);
    repeated.set(2, line(1, true));
    assertThatThrownBy(() -> ContactsOutput.verify(write(repeated), 3, true))
        .hasMessageContaining("seen twice");
  }

  @Test
  void refusesMaskedValuesWhereClearOnesWereExpected() throws Exception {
    assertThatThrownBy(() -> ContactsOutput.verify(write(lines(2, true)), 2, false))
        .hasMessageContaining("only 0 of 2 direct lines are in clear");
  }

  private static String line(long id, boolean masked) {
    return ContactsTable.line(id, masked);
  }

  private static List<String> lines(int n, boolean masked) {
    List<String> lines = new ArrayList<>();
    for (int id = 1; id <= n; id++) {
      lines.add(line(id, masked));
    }
    return lines;
  }

  private Path write(List<String> lines) throws Exception {
    return Files.write(Files.createTempFile(dir, "out", ".txt"), lines);
  }
}
