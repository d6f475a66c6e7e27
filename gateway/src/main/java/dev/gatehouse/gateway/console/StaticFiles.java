package dev.gatehouse.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The console's stylesheet and script, shipped in the jar; nothing comes from elsewhere. */
@RestController
class StaticFiles {

  private static final Map<String, String> FILES =
      Map.of(
          "console.css", "text/css;charset=UTF-8", "console.js", "text/javascript;charset=UTF-8");

  @GetMapping("/console/static/{name}")
  ResponseEntity<byte[]> file(@PathVariable("name") String name) throws IOException {
    String type = FILES.get(name);
    if (type == null) {
      return ResponseEntity.notFound().build();
    }
    try (InputStream in = StaticFiles.class.getResourceAsStream("static/" + name)) {
      if (in == null) {
        return ResponseEntity.notFound().build();
      }
      return ResponseEntity.ok()
          .header("Content-Type", type)
          .cacheControl(CacheControl.noCache())
          .body(in.readAllBytes());
    }
  }
}
