package dev.gatehouse.engine.sql.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A resource of whitespace-separated names, {@code #} starting a comment line: the one loader of
 * the analysis's name lists (built-in functions and relations, transparent and set-returning
 * functions).
 */
public final class WordList {

  private WordList() {}

  /** The names in {@code resource}, next to {@code owner}; a missing resource is an error. */
  public static Set<String> load(Class<?> owner, String resource) {
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      Set<String> names = new HashSet<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#")) {
          for (String word : line.strip().split("\\s+")) {
            if (!word.isEmpty()) {
              names.add(word);
            }
          }
        }
      }
      return Set.copyOf(names);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
