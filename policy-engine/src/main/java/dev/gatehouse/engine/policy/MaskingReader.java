package dev.gatehouse.engine.policy;

import dev.gatehouse.engine.masking.Inference;
import dev.gatehouse.engine.masking.MaskRule;
import dev.gatehouse.engine.masking.MaskStrategy;
import dev.gatehouse.engine.masking.detect.DetectorType;
import dev.gatehouse.engine.policy.yaml.YamlObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads the {@code masking} section of a policy file. */
final class MaskingReader {

  private MaskingReader() {}

  static MaskingSettings read(YamlObject o) {
    o.fields(
        "`rules`, `exemptGroups`, `detectors`, `opaqueLineage`, `inference`, `catalogChannels`");
    List<MaskingSettings.Entry> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (YamlObject r : o.objects("rules")) {
      r.fields("`id`, `column`, `strategy`, `keepLast`, `exemptGroups`, `inference`");
      String id = r.string("id");
      if (!ids.add(id)) {
        throw r.error("id", "masking rule id `" + id + "` is used twice");
      }
      String column = r.string("column");
      if (column.split("\\.").length != 3 && !column.contains("*")) {
        throw r.error(
            "column", "expected `schema.table.column` (globs allowed), found `" + column + "`");
      }
      MaskStrategy strategy =
          r.enums("strategy", MaskingReader::strategy, "redact, keep-last, email, pseudonym, null")
              .getFirst();
      int keepLast = r.integer("keepLast", strategy == MaskStrategy.KEEP_LAST ? 4 : 0);
      if (keepLast < 0) {
        throw r.error("keepLast", "expected zero or more, found `" + keepLast + "`");
      }
      rules.add(
          new MaskingSettings.Entry(
              new MaskRule(id, column, strategy, keepLast, inference(r, null)),
              r.strings("exemptGroups")));
    }
    Set<DetectorType> detectors =
        Set.copyOf(
            o.enums(
                "detectors",
                s -> DetectorType.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_')),
                "card_number, email, us_ssn, iban, phone, secret"));
    String opaque = o.string("opaqueLineage", "detect");
    if (!opaque.equals("detect") && !opaque.equals("deny")) {
      throw o.error("opaqueLineage", "expected `detect` or `deny`, found `" + opaque + "`");
    }
    String catalog = o.string("catalogChannels", "deny");
    if (!catalog.equals("deny") && !catalog.equals("mask")) {
      throw o.error("catalogChannels", "expected `deny` or `mask`, found `" + catalog + "`");
    }
    return new MaskingSettings(
        rules,
        o.strings("exemptGroups"),
        detectors,
        opaque.equals("deny"),
        inference(o, Inference.LOOKUP),
        catalog.equals("deny"));
  }

  /** {@code inference}: `deny`, `lookup` or `allow`; absent: {@code fallback}. */
  private static Inference inference(YamlObject o, Inference fallback) {
    String value =
        o.string("inference", fallback == null ? null : fallback.name().toLowerCase(Locale.ROOT));
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "deny" -> Inference.DENY;
      case "lookup" -> Inference.LOOKUP;
      case "allow" -> Inference.ALLOW;
      default ->
          throw o.error("inference", "expected `deny`, `lookup` or `allow`, found `" + value + "`");
    };
  }

  private static MaskStrategy strategy(String s) {
    return MaskStrategy.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
