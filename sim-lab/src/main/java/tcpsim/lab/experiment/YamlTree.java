package tcpsim.lab.experiment;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every node and key remembers its line and column, read from
 * Jackson's YAML token stream. Jackson's own {@code JsonNode} forgets locations, and a message
 * that cannot say where is of little use, hence this small tree.
 *
 * <p>What it refuses, each with a located error: YAML syntax errors, duplicate keys (Jackson
 * would keep the last silently), aliases ({@code *name}: Jackson hands them over as the plain
 * string "name"), more than one document, and nesting deeper than {@link #MAX_DEPTH}.
 */
final class YamlTree {
  /** Deeper than any experiment file needs; stops hostile input from exhausting the stack. */
  static final int MAX_DEPTH = 40;

  private static final YAMLFactory FACTORY = YAMLFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 10).build())
      .build();

  private YamlTree() {}

  /** A position in the file, 1-based. */
  record Loc(int line, int column) {
    static final Loc START = new Loc(1, 1);
  }

  /** The type of a scalar as YAML resolved it; a quoted "5" is a STRING. */
  enum ScalarKind { STRING, INT, FLOAT, BOOL, NULL, OTHER }

  sealed interface Node permits MapNode, ListNode, ScalarNode {
    Loc loc();

    /** How the node is called in an error about its type: "a map", "a list", "the number 5". */
    String describe();
  }

  record Entry(String key, Loc keyLoc, Node value) {}

  record MapNode(Loc loc, List<Entry> entries) implements Node {
    MapNode {
      entries = List.copyOf(entries);
    }

    Entry entry(String key) {
      for (Entry e : entries) {
        if (e.key().equals(key)) {
          return e;
        }
      }
      return null;
    }

    List<String> keys() {
      List<String> keys = new ArrayList<>(entries.size());
      for (Entry e : entries) {
        keys.add(e.key());
      }
      return keys;
    }

    /** A copy with {@code key} set to {@code value}: replaced in place, or appended. */
    MapNode with(String key, Loc keyLoc, Node value) {
      List<Entry> copy = new ArrayList<>(entries);
      for (int i = 0; i < copy.size(); i++) {
        if (copy.get(i).key().equals(key)) {
          copy.set(i, new Entry(key, copy.get(i).keyLoc(), value));
          return new MapNode(loc, copy);
        }
      }
      copy.add(new Entry(key, keyLoc, value));
      return new MapNode(loc, copy);
    }

    @Override
    public String describe() {
      return "a map";
    }
  }

  record ListNode(Loc loc, List<Node> items) implements Node {
    ListNode {
      items = List.copyOf(items);
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  record ScalarNode(Loc loc, ScalarKind kind, String text) implements Node {
    @Override
    public String describe() {
      String shown = text.length() <= 60 ? text : text.substring(0, 57) + "...";
      return switch (kind) {
        case NULL -> "nothing";
        case STRING -> "'" + shown + "'";
        case INT, FLOAT -> "the number " + shown;
        case BOOL -> shown;
        case OTHER -> "'" + shown + "' (a tagged value)";
      };
    }
  }

  /**
   * Reads one document.
   *
   * @return the root node, or null for an empty document
   * @throws ExperimentError located at the first syntax error (a parser cannot go past it)
   */
  static Node read(String file, String text) throws ExperimentError {
    Reader r = new Reader(file);
    checkCharacters(r, text);
    try (JsonParser p = FACTORY.createParser(text)) {
      r.parser = p;
      JsonToken t = r.next();
      if (t == null) {
        return null;
      }
      Node root = r.node(t, 0);
      if (r.next() != null) {
        throw r.error(r.loc(), "a second document starts here; an experiment file holds one"
            + " document (remove the '---' or split the file)");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw r.syntax(e);
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // snakeyaml reports some bad input (odd bytes, bad escapes) with unchecked exceptions.
      throw r.error(r.last, "cannot read the YAML: " + firstLine(e.getMessage()));
    }
  }

  /**
   * Refuses the characters YAML does not allow (YAML 1.1 section 5.1, snakeyaml's
   * StreamReader.isPrintable) at their line and column: snakeyaml reports them without a place.
   */
  private static void checkCharacters(Reader r, String text) throws ExperimentError {
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      boolean printable = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0x7E)
          || cp == 0x85 || (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD)
          || (cp >= 0x10000 && cp <= 0x10FFFF);
      if (!printable) {
        throw r.error(new Loc(line, column), String.format("the character U+%04X is not allowed in"
            + " YAML; only tab, newline and printable characters are", cp));
      }
      if (cp == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
      i += Character.charCount(cp);
    }
  }

  private static String firstLine(String s) {
    if (s == null || s.isBlank()) {
      return "unreadable input";
    }
    String line = s.strip();
    int nl = line.indexOf('\n');
    return nl < 0 ? line : line.substring(0, nl).strip();
  }

  private static final class Reader {
    final String file;
    JsonParser parser;
    Loc last = Loc.START;

    Reader(String file) {
      this.file = file;
    }

    JsonToken next() throws IOException {
      JsonToken t = parser.nextToken();
      if (t != null) {
        last = loc();
      }
      return t;
    }

    Loc loc() {
      return at(parser.currentTokenLocation());
    }

    Loc at(JsonLocation l) {
      if (l == null || l.getLineNr() < 1) {
        return last;
      }
      return new Loc(l.getLineNr(), Math.max(1, l.getColumnNr()));
    }

    /** The dotted key path of the node being read, for errors about duplicate keys. */
    private String path = "";

    Node node(JsonToken t, int depth) throws IOException, ExperimentError {
      Loc loc = loc();
      if (depth > MAX_DEPTH) {
        throw error(loc, keyOrYaml(), "nested deeper than " + MAX_DEPTH + " levels");
      }
      if (parser instanceof YAMLParser y && y.isCurrentAlias()) {
        throw error(loc, keyOrYaml(), "aliases (*" + parser.getText()
            + ") are not supported; write the value out");
      }
      switch (t) {
        case START_OBJECT -> {
          List<Entry> entries = new ArrayList<>();
          Map<String, Loc> seen = new HashMap<>();
          JsonToken k;
          while ((k = next()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Loc keyLoc = loc();
            Loc first = seen.putIfAbsent(key, keyLoc);
            String outer = path;
            path = path.isEmpty() ? key : path + "." + key;
            if (first != null) {
              throw error(keyLoc, path, "duplicate key (first at line " + first.line()
                  + "); each key appears once in a map");
            }
            JsonToken v = next();
            if (v == null) {
              throw error(last, "the document ends before the value of '" + key + "'");
            }
            entries.add(new Entry(key, keyLoc, node(v, depth + 1)));
            path = outer;
          }
          if (k != JsonToken.END_OBJECT) {
            throw error(last, "the document ends inside a map");
          }
          return new MapNode(loc, entries);
        }
        case START_ARRAY -> {
          List<Node> items = new ArrayList<>();
          JsonToken i;
          String outer = path;
          while ((i = next()) != null && i != JsonToken.END_ARRAY) {
            path = outer + "[" + items.size() + "]";
            items.add(node(i, depth + 1));
          }
          path = outer;
          if (i == null) {
            throw error(last, "the document ends inside a list");
          }
          return new ListNode(loc, items);
        }
        case VALUE_STRING -> {
          return new ScalarNode(loc, ScalarKind.STRING, parser.getText());
        }
        case VALUE_NUMBER_INT -> {
          return new ScalarNode(loc, ScalarKind.INT, parser.getText());
        }
        case VALUE_NUMBER_FLOAT -> {
          return new ScalarNode(loc, ScalarKind.FLOAT, parser.getText());
        }
        case VALUE_TRUE, VALUE_FALSE -> {
          return new ScalarNode(loc, ScalarKind.BOOL, t == JsonToken.VALUE_TRUE ? "true" : "false");
        }
        case VALUE_NULL -> {
          return new ScalarNode(loc, ScalarKind.NULL, "null");
        }
        default -> {
          String text = parser.getText();
          return new ScalarNode(loc, ScalarKind.OTHER, text == null ? "?" : text);
        }
      }
    }

    String keyOrYaml() {
      return path.isEmpty() ? "(yaml)" : path;
    }

    ExperimentError error(Loc loc, String message) {
      return error(loc, "(yaml)", message);
    }

    ExperimentError error(Loc loc, String key, String message) {
      return new ExperimentError(new Problem(file, loc.line(), loc.column(), key, message));
    }

    ExperimentError syntax(JsonProcessingException e) {
      Loc loc = at(e.getLocation());
      String message = firstLine(e.getOriginalMessage());
      // Jackson wraps snakeyaml's error, whose problem/context read better than the wrapper.
      if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m) {
        String problem = m.getProblem() == null ? message : m.getProblem();
        message = m.getContext() == null ? problem : m.getContext() + ": " + problem;
        if (m.getProblemMark() != null) {
          loc = new Loc(m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1);
        }
      }
      return error(loc, "YAML syntax error: " + firstLine(message));
    }
  }
}
