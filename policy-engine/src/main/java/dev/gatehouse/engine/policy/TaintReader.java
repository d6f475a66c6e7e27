package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.policy.yaml.YamlObject;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the {@code taint} section of a policy file. */
final class TaintReader {

  private TaintReader() {}

  static TaintSettings read(YamlObject o) {
    o.fields("`untrusted`, `groups`, `channels`");
    List<String> untrusted = o.strings("untrusted");
    if (untrusted.isEmpty()) {
      throw o.error(
          "untrusted", "missing; list the free-text columns to distrust, e.g. `app.orders.note`");
    }
    for (String column : untrusted) {
      if (column.split("\\.", -1).length != 3 || column.contains("..")) {
        throw o.error(
            "untrusted", "expected `schema.table.column` (globs allowed), found `" + column + "`");
      }
    }
    Set<String> groups = new HashSet<>(o.strings("groups"));
    Set<Channel> channels = EnumSet.noneOf(Channel.class);
    channels.addAll(
        o.enums(
            "channels",
            s -> {
              if (s.equals("wire")) {
                // A wire client prepares a write before it reads and executes it after with new
                // parameters, past admission at Parse: tracking it there would promise too much.
                throw o.error(
                    "channels",
                    "`wire` is not supported: the wire proxy does not track what a connection read;"
                        + " write `mcp`");
              }
              if (!s.equals("mcp")) {
                throw new IllegalArgumentException(s);
              }
              return Channel.MCP;
            },
            "mcp"));
    if (channels.isEmpty()) {
      channels = EnumSet.of(Channel.MCP);
    }
    return new TaintSettings(Glob.all(untrusted), groups, channels);
  }
}
