package dev.gatehouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A part's working directory (configs, spools, logs), removed when the part ends. */
final class TempDirs {

  private TempDirs() {}

  /** Creates the directory and registers its removal with {@code closer}. */
  static Path create(Closer closer, String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    closer.add(() -> delete(dir));
    return dir;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
