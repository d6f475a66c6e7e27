package dev.gatehouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one part of the benchmark found: its figures as JSON and a Markdown section, written to
 * {@code bench/results/parts/<part>.{json,md}} for {@link Report} to assemble. Created when the
 * part starts, so the load average before and after frame its numbers.
 */
public final class PartResult {

  static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private final String part;
  private final Instant started = Instant.now();
  private final String loadBefore = Machine.loadAverage();

  public PartResult(String part) {
    this.part = part;
  }

  /** Writes the part's figures and its section; returns the Markdown path. */
  public Path write(Map<String, Object> figures, String markdown) throws IOException {
    Path dir = Files.createDirectories(directory());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("part", part);
    json.put("started", started.toString());
    json.put("finished", Instant.now().toString());
    json.put("loadAverageBefore", loadBefore);
    json.put("loadAverageAfter", Machine.loadAverage());
    json.put("figures", figures);
    Files.writeString(dir.resolve(part + ".json"), JSON.writeValueAsString(json));
    String framed =
        markdown.strip()
            + "\n\n_Measured "
            + started
            + "; load average before "
            + loadBefore
            + ", after "
            + json.get("loadAverageAfter")
            + "._\n";
    Path md = dir.resolve(part + ".md");
    Files.writeString(md, framed);
    System.out.println(framed);
    return md;
  }

  /** {@code bench/results/parts}, or {@code GATEHOUSE_BENCH_RESULTS}/parts. */
  static Path directory() {
    String override = System.getenv("GATEHOUSE_BENCH_RESULTS");
    Path results = override == null ? Path.of("bench", "results") : Path.of(override);
    return results.resolve("parts");
  }
}
