package dev.gatehouse.wire.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The installed psql (15 on Debian 12) running on libpq 18: libpq keeps its ABI across versions, so
 * {@code LD_LIBRARY_PATH} pointing at PostgreSQL 18's {@code lib/} (from the zonky binaries the
 * build copies to {@code target/postgres-18}) gives psql 18's connection options and protocol
 * ({@code min_protocol_version}, {@code max_protocol_version}, {@code oauth_*}).
 */
final class Libpq18 {

  static final Path PSQL = Path.of("/usr/lib/postgresql/15/bin/psql");
  private static Path lib;

  private Libpq18() {}

  /** The directory holding libpq 18, extracted once per JVM. */
  static synchronized Path lib() throws IOException, InterruptedException {
    if (lib != null) {
      return lib;
    }
    Path jar = Path.of("target/postgres-18/postgres-18-binaries.jar");
    assertThat(jar).as("run through Maven: it copies the binaries").exists();
    Path dir = Files.createTempDirectory("gatehouse-libpq18-");
    Path txz = dir.resolve("postgres.txz");
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        if (e.getName().endsWith(".txz")) {
          Files.copy(zip, txz, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Process tar =
        new ProcessBuilder(
                "tar", "xJf", txz.toString(), "-C", dir.toString(), "--wildcards", "lib/lib*")
            .redirectErrorStream(true)
            .start();
    String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(out).isZero();
    lib = dir.resolve("lib");
    assertThat(lib.resolve("libpq.so.5")).exists();
    return lib;
  }

  /** True when the installed psql is there to run on libpq 18. */
  static boolean available() {
    return Files.isExecutable(PSQL);
  }

  /** psql on libpq 18 with {@code args}; the caller reads and waits. */
  static Process start(List<String> args, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(PSQL.toString()), args.stream())
                    .toList())
            .redirectErrorStream(true);
    pb.environment().put("LD_LIBRARY_PATH", lib().toString());
    pb.environment().put("PGCONNECT_TIMEOUT", "20");
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Runs psql to its end; the exit code and everything it printed. */
  static Result run(List<String> args, Map<String, String> env) throws Exception {
    Process p = start(args, env);
    try (InputStream in = p.getInputStream()) {
      String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
      return new Result(p.exitValue(), out);
    }
  }

  record Result(int exit, String output) {}
}
