package dev.gatehouse.engine.policy;

import java.util.List;
import java.util.regex.Pattern;

/** Shell-style patterns for names: {@code *} any run of characters, {@code ?} one character. */
public record Glob(String pattern, Pattern regex) {

  public static Glob of(String pattern) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new Glob(pattern, Pattern.compile(re.toString()));
  }

  public static List<Glob> all(List<String> patterns) {
    return patterns.stream().map(Glob::of).toList();
  }

  public boolean matches(String name) {
    return name != null && regex.matcher(name).matches();
  }

  public boolean isLiteral() {
    return pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
  }

  /** True when any pattern matches {@code name}. */
  public static boolean any(List<Glob> globs, String name) {
    return globs.stream().anyMatch(g -> g.matches(name));
  }

  /** True when a pattern without wildcards equals {@code name}: an explicit grant. */
  public static boolean named(List<Glob> globs, String name) {
    return globs.stream().anyMatch(g -> g.isLiteral() && g.pattern.equals(name));
  }

  @Override
  public String toString() {
    return pattern;
  }
}
