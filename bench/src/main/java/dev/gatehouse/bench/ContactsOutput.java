package dev.gatehouse.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Checks a client's output of {@code app.bench_contacts}: every line is exactly the row its id
 * gives (clear, or masked), each id of 1..n arrives once, and (separately, so a wrong expectation
 * cannot hide it) no line of a masked output carries its row's clear email, phone or card number.
 */
final class ContactsOutput {

  /** What a checked output held. */
  record Checked(long lines, long bytes, long clearValues) {}

  private ContactsOutput() {}

  /**
   * @param ids the rows the query returns: ids 1..ids
   * @throws IllegalStateException naming the first wrong lines
   */
  static Checked verify(Path file, int ids, boolean masked) throws IOException {
    BitSet seen = new BitSet(ids + 1);
    List<String> wrong = new ArrayList<>();
    long lines = 0;
    long clear = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines++;
        long id = id(line);
        if (id < 1 || id > ids || seen.get((int) id)) {
          note(wrong, lines, "an id outside 1.." + ids + " or seen twice", line);
          continue;
        }
        seen.set((int) id);
        String expected = ContactsTable.line(id, masked);
        if (!line.equals(expected)) {
          note(wrong, lines, expected, line);
        }
        if (line.contains(ContactsTable.email(id))
            || line.contains(ContactsTable.phone(id))
            || line.contains(ContactsTable.card(id))) {
          clear++;
        }
      }
    }
    if (lines != ids || seen.cardinality() != ids) {
      wrong.add(0, file + ": " + lines + " lines, " + seen.cardinality() + " ids, expected " + ids);
    }
    if (masked && clear > 0) {
      wrong.add(0, file + ": " + clear + " lines carry a clear email, phone or card number");
    }
    if (!masked && clear != lines) {
      wrong.add(0, file + ": only " + clear + " of " + lines + " direct lines are in clear");
    }
    if (!wrong.isEmpty()) {
      throw new IllegalStateException("wrong output:\n" + String.join("\n", wrong));
    }
    return new Checked(lines, Files.size(file), clear);
  }

  private static long id(String line) {
    int bar = line.indexOf('|');
    try {
      return bar > 0 ? Long.parseLong(line.substring(0, bar)) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void note(List<String> wrong, long lineNo, String expected, String actual) {
    if (wrong.size() < 3) {
      wrong.add("line " + lineNo + ": expected `" + expected + "`, got `" + actual + "`");
    }
  }
}
