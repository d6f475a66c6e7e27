package dev.gatehouse.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The files of {@code deploy/} that docs/deploy.md hands out: the Kubernetes manifests parse and
 * carry what a rollout needs, the systemd unit parses (and passes {@code systemd-analyze verify}
 * where that exists).
 */
class DeployFilesTest {

  private static final Path DEPLOY = Path.of("..", "deploy");

  @Test
  @SuppressWarnings("unchecked")
  void theKubernetesManifestsHaveProbesPortsAndAConfig() throws Exception {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc :
        new Yaml().loadAll(Files.readString(DEPLOY.resolve("kubernetes/gatehouse.yaml")))) {
      docs.add((Map<String, Object>) doc);
    }
    assertThat(docs).extracting(d -> d.get("kind")).contains("ConfigMap", "StatefulSet", "Service");
    for (Map<String, Object> d : docs) {
      assertThat(d)
          .containsKeys(
              "apiVersion",
              "kind",
              "metadata",
              d.get("kind").equals("ConfigMap") ? "data" : "spec");
      assertThat((Map<String, Object>) d.get("metadata")).containsKey("name");
    }
    Map<String, Object> set =
        docs.stream().filter(d -> d.get("kind").equals("StatefulSet")).findFirst().orElseThrow();
    Map<String, Object> spec = (Map<String, Object>) set.get("spec");
    Map<String, Object> selector =
        (Map<String, Object>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    Map<String, Object> pod =
        (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
    Map<String, Object> labels =
        (Map<String, Object>)
            ((Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("metadata"))
                .get("labels");
    assertThat(labels).containsAllEntriesOf(selector);
    Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
    List<String> portNames =
        ((List<Map<String, Object>>) container.get("ports"))
            .stream().map(p -> (String) p.get("name")).toList();
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      Map<String, Object> get =
          (Map<String, Object>) ((Map<String, Object>) container.get(probe)).get("httpGet");
      assertThat((String) get.get("path")).as(probe).startsWith("/actuator/health");
      assertThat(portNames).as(probe).contains((String) get.get("port"));
    }
    assertThat((List<String>) container.get("args")).startsWith("serve", "--config");
    Map<String, Object> configMap =
        docs.stream().filter(d -> d.get("kind").equals("ConfigMap")).findFirst().orElseThrow();
    String gatewayConfig =
        (String) ((Map<String, Object>) configMap.get("data")).get("gatehouse.yaml");
    Map<String, Object> parsed = new Yaml().load(gatewayConfig);
    assertThat(parsed).containsKeys("version", "policy", "control", "audit", "wire", "http");
    // each instance its own hash chain: the instance id is the pod's name
    assertThat(((Map<String, Object>) parsed.get("audit")).get("instanceId"))
        .isEqualTo("${env:POD_NAME}");
  }

  @Test
  void theSystemdUnitParses() throws Exception {
    Path unit = DEPLOY.resolve("systemd/gatehouse.service");
    Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    Map<String, List<String>> current = null;
    for (String line : Files.readAllLines(unit)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      if (l.startsWith("[")) {
        assertThat(l).endsWith("]");
        current = new LinkedHashMap<>();
        sections.put(l.substring(1, l.length() - 1), current);
        continue;
      }
      assertThat(current).as("a setting before any section: " + l).isNotNull();
      int eq = l.indexOf('=');
      assertThat(eq).as("`key=value`: " + l).isPositive();
      current.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1));
    }
    assertThat(sections).containsKeys("Unit", "Service", "Install");
    assertThat(sections.get("Service").get("ExecStart").get(0)).contains(" serve --config ");
    assertThat(sections.get("Service"))
        .containsKeys("EnvironmentFile", "User", "Restart", "StateDirectory");
    assertThat(sections.get("Service").get("RestartPreventExitStatus")).containsExactly("2");

    File analyze = new File("/usr/bin/systemd-analyze");
    if (analyze.canExecute()) {
      Process p =
          new ProcessBuilder(analyze.getPath(), "verify", unit.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      System.out.println("systemd-analyze verify: exit " + p.exitValue() + " " + out);
      // only complaints about this unit count (the host's own units may have their own)
      assertThat(out.lines().filter(l -> l.contains("gatehouse.service")).toList())
          .as(out)
          .isEmpty();
    } else {
      System.out.println("systemd-analyze is not installed here: the unit was parsed only");
    }
  }
}
