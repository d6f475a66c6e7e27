package dev.gatehouse.gateway.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${env:NAME}} references of a YAML file, each with its line and dotted field, so that
 * {@code config validate} can name every variable a file needs in one run.
 */
public final class EnvReferences {

  /** One reference: the variable, where it stands, and whether it is set now. */
  public record Reference(String file, int line, String field, String name, boolean set) {}

  private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern KEY = Pattern.compile("^(\\s*)(- )?([A-Za-z0-9_.-]+):(.*)$");

  private EnvReferences() {}

  /** The references of {@code file}, comments skipped, in file order. */
  public static List<Reference> scan(Path file, Function<String, String> env) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
    List<Reference> out = new ArrayList<>();
    // the keys enclosing the current line, by indentation
    Deque<int[]> indents = new ArrayDeque<>();
    Deque<String> keys = new ArrayDeque<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = stripComment(lines.get(i));
      Matcher k = KEY.matcher(line);
      String value = line;
      if (k.matches()) {
        int indent = k.group(1).length() + (k.group(2) == null ? 0 : 2);
        while (!indents.isEmpty() && indents.peek()[0] >= indent) {
          indents.pop();
          keys.pop();
        }
        indents.push(new int[] {indent});
        keys.push(k.group(3));
        value = k.group(4);
      }
      Matcher m = ENV.matcher(value);
      while (m.find()) {
        List<String> path = new ArrayList<>(keys);
        java.util.Collections.reverse(path);
        out.add(
            new Reference(
                file.toString(),
                i + 1,
                String.join(".", path),
                m.group(1),
                env.apply(m.group(1)) != null));
      }
    }
    return out;
  }

  /**
   * A stand-in value for an unset variable at {@code field}, shaped so that reading can go on and
   * find the file's other problems (the unset variable itself is reported on its own).
   */
  public static String placeholder(String name, String field) {
    String f = field.toLowerCase(java.util.Locale.ROOT);
    String n = name.toUpperCase(java.util.Locale.ROOT);
    if (f.endsWith("bottoken") || n.endsWith("BOT_TOKEN")) {
      return "xoxb-unset";
    }
    if (n.endsWith("_URL") || f.endsWith("url") || f.endsWith("issuer")) {
      return "https://unset.invalid";
    }
    if (n.endsWith("_PORT") || f.endsWith("port")) {
      return "5432";
    }
    if (n.endsWith("_HOST") || f.endsWith("host")) {
      return "127.0.0.1";
    }
    // base64 of 32 bytes: long enough for every key and secret
    return "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  }

  private static String stripComment(String line) {
    int hash = line.indexOf(" #");
    if (line.stripLeading().startsWith("#")) {
      return "";
    }
    return hash < 0 ? line : line.substring(0, hash);
  }
}
