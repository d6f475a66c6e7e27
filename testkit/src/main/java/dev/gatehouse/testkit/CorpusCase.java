package dev.gatehouse.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One case of the shared corpus ({@code corpus/attacks.jsonl}, {@code corpus/benign.jsonl}).
 *
 * @param file the corpus file it came from
 * @param expect {@code deny}, {@code approval}, {@code approval_by_count}, {@code masked}, {@code
 *     deny_or_masked}, {@code no_leak}, {@code allow} or {@code clear:VALUE}
 */
public record CorpusCase(String file, String id, String principal, String sql, String expect) {

  private static final Pattern FIELD =
      Pattern.compile("\"(id|principal|sql|expect)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** The cases of {@code corpus/<file>} in file order. */
  public static List<CorpusCase> load(String file) {
    List<CorpusCase> cases = new ArrayList<>();
    try (InputStream in = CorpusCase.class.getClassLoader().getResourceAsStream("corpus/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing corpus file corpus/" + file);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          cases.add(parse(file, line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(cases);
  }

  /** The cases of a corpus file on disk (same format), in file order. */
  public static List<CorpusCase> loadFile(java.nio.file.Path path) {
    List<CorpusCase> cases = new ArrayList<>();
    String name = path.getFileName().toString();
    try {
      for (String line : java.nio.file.Files.readAllLines(path, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          cases.add(parse(name, line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(cases);
  }

  /** Every case of both corpus files. */
  public static List<CorpusCase> all() {
    List<CorpusCase> cases = new ArrayList<>(load("attacks.jsonl"));
    cases.addAll(load("benign.jsonl"));
    return List.copyOf(cases);
  }

  static CorpusCase parse(String file, String line) {
    String id = null;
    String principal = null;
    String sql = null;
    String expect = null;
    Matcher m = FIELD.matcher(line);
    while (m.find()) {
      String value = unescape(m.group(2));
      switch (m.group(1)) {
        case "id" -> id = value;
        case "principal" -> principal = value;
        case "sql" -> sql = value;
        case "expect" -> expect = value;
        default -> throw new IllegalStateException("unreachable");
      }
    }
    if (id == null || principal == null || sql == null || expect == null) {
      throw new IllegalArgumentException("corpus line lacks a field: " + line);
    }
    return new CorpusCase(file, id, principal, sql, expect);
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(n);
      }
    }
    return out.toString();
  }

  /** The value a {@code clear:VALUE} case expects, or null. */
  public String clearValue() {
    return expect.startsWith("clear:") ? expect.substring("clear:".length()) : null;
  }

  @Override
  public String toString() {
    return file + "#" + id;
  }
}
