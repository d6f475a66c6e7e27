package dev.gatehouse.testkit;

import java.util.ArrayList;
import java.util.List;

/** The values of {@code corpus/secrets.tsv}: none may reach a principal without clearance. */
public final class Secrets {

  private Secrets() {}

  /** One forbidden value, the form it takes and the column it derives from. */
  public record Secret(String value, String form, String column) {}

  private static final List<Secret> ALL = load();

  public static List<Secret> all() {
    return ALL;
  }

  private static List<Secret> load() {
    List<Secret> out = new ArrayList<>();
    for (String line : TestPostgres.readResource("corpus/secrets.tsv").split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      out.add(new Secret(f[0], f[1], f[2]));
    }
    return List.copyOf(out);
  }

  /** The first secret that {@code text} contains, or null. */
  public static Secret findIn(String text) {
    if (text == null) {
      return null;
    }
    for (Secret s : ALL) {
      if (text.contains(s.value())) {
        return s;
      }
    }
    return null;
  }
}
