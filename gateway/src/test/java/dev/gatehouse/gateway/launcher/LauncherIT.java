package dev.gatehouse.gateway.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's two commands start with {@code ./gatehouse} and {@code ./mvnw}; both must pick a JDK
 * 21+ in a shell whose {@code java} and {@code JAVA_HOME} are Java 17. (The try-it command itself,
 * {@code ./gatehouse quickstart} in that shell, is {@code ReadmeTourIT}.)
 */
class LauncherIT {

  @Test
  void theShellReallyHasAnOldDefaultJava() throws Exception {
    OldJavaShell.Result java = OldJavaShell.run("java -version", 30);
    System.out.println("default java in the test shell: " + java.output().lines().findFirst());
    if (java.output().contains("\"17.")) {
      assertThat(OldJavaShell.run("echo $JAVA_HOME", 10).output()).contains("java-17");
    }
  }

  @Test
  void mvnwPicksAJdk21OrNewer() throws Exception {
    OldJavaShell.Result r = OldJavaShell.run("./mvnw -v", 120);
    assertThat(r.exit()).as(r.output()).isZero();
    Matcher m = Pattern.compile("Java version: (\\d+)").matcher(r.output());
    assertThat(m.find()).as(r.output()).isTrue();
    assertThat(Integer.parseInt(m.group(1))).isGreaterThanOrEqualTo(21);
  }

  @Test
  void theReadmesTestCommandAsWrittenPassesTheBuildsJdkCheck() throws Exception {
    String readme = Files.readString(OldJavaShell.ROOT.resolve("README.md"));
    Matcher block = Pattern.compile("Run every test:\n\n```\n([^\n]+)\n```").matcher(readme);
    assertThat(block.find()).as("the README's test command").isTrue();
    String command = block.group(1);
    assertThat(command).isEqualTo("./mvnw verify");
    // The whole build would run this test again (and take the better part of an hour), so the
    // command runs as written on the root project only (-N): the wrapper picks the JDK and the
    // enforcer's requireJavaVersion [21,) passes, which on Java 17 it refuses.
    OldJavaShell.Result r = OldJavaShell.run(command + " -N -o -B", 300);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output())
        .contains("BUILD SUCCESS")
        .contains("RequireJavaVersion passed")
        .doesNotContain("UnsupportedClassVersionError")
        .doesNotContain("needs JDK 21");
  }

  @Test
  void gatehouseRunsTheJarWithAJdk21OrNewer() throws Exception {
    // the jar was packaged before the integration tests: the launcher must not rebuild it
    OldJavaShell.Result r = OldJavaShell.run("./gatehouse --version", 60);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("gatehouse 0.1.0").doesNotContain("building");
  }

  @Test
  void withoutAnyJdk21TheLauncherSaysWhatToInstall() throws Exception {
    // every JDK it looks at reports 17, as on a machine with nothing newer
    String script =
        ". .mvn/jdk.sh; JAVA_HOME=/nonexistent; PATH=/usr/bin:/bin;"
            + " gatehouse_jdk_major() { echo 17; }; gatehouse_select_jdk";
    OldJavaShell.Result r = OldJavaShell.run(script, 30);
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("needs a JDK 21 or newer").contains("install one");
  }
}
