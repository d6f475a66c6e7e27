package dev.gatehouse.engine.policy.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads YAML with Jackson's streaming parser into {@link YamlNode}s that remember their line, so
 * that every later validation error can point at the line to fix.
 */
public final class YamlTree {

  private static final YAMLMapper MAPPER = new YAMLMapper();

  private YamlTree() {}

  /** The document in {@code text}; {@code file} names it in errors. */
  public static YamlNode parse(String file, String text) {
    try (JsonParser p = MAPPER.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new PolicyException(file, 1, "", "the file is empty; expected a mapping");
      }
      YamlNode root = read(file, p, "", 0);
      if (p.nextToken() != null) {
        throw new PolicyException(
            file, p.currentTokenLocation().getLineNr(), "", "expected one YAML document");
      }
      return root;
    } catch (JacksonException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      String message = e.getOriginalMessage() == null ? "invalid YAML" : e.getOriginalMessage();
      throw new PolicyException(
          file, line, "", "invalid YAML: " + message.lines().findFirst().orElse("").strip());
    }
  }

  private static YamlNode read(String file, JsonParser p, String path, int keyLine) {
    // A mapping value is reported at its key's line: that is the line a person looks for.
    int line = keyLine > 0 ? keyLine : p.currentTokenLocation().getLineNr();
    JsonToken token = p.currentToken();
    switch (token) {
      case START_OBJECT -> {
        LinkedHashMap<String, YamlNode> entries = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String key = p.currentName();
          int entryLine = p.currentTokenLocation().getLineNr();
          String childPath = path.isEmpty() ? key : path + "." + key;
          p.nextToken();
          YamlNode value = read(file, p, childPath, entryLine);
          if (entries.put(key, value) != null) {
            throw new PolicyException(file, entryLine, childPath, "appears twice; write it once");
          }
        }
        return new YamlNode.Mapping(line, path, entries);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(file, p, path + "[" + items.size() + "]", 0));
        }
        return new YamlNode.Sequence(line, path, items);
      }
      case VALUE_NULL -> {
        return new YamlNode.Scalar(line, path, null, false);
      }
      case VALUE_STRING -> {
        return new YamlNode.Scalar(line, path, p.getString(), true);
      }
      default -> {
        return new YamlNode.Scalar(line, path, p.getString(), false);
      }
    }
  }
}
