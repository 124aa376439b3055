package tcpsim.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.core.check.Gen;
import tcpsim.core.check.Property;

/**
 * Whatever is done to a gallery file (keys renamed, values of the wrong type or unit, lines
 * dropped, duplicated, re-indented or cut, the document cut short, random characters put in),
 * the loader returns a valid model or throws an {@link ExperimentError} whose every problem is
 * located and names a key; never another exception. A failure prints the seed and case to
 * replay first (see docs/property-testing.md).
 */
class LoaderRobustnessTest {
  private static final List<String> GALLERY = new ArrayList<>();

  /** Values that are wrong somewhere: other types, units with spaces, bad YAML. */
  private static final List<String> BAD_VALUES = List.of("50 ms", "1%", "50", "-1", "0", "abc",
      "[1, 2]", "{a: 1}", "true", "~", "''", "99999999999999999999", "0x5eed", "1.5", "1e9",
      "!!binary aGk=", "*x", "&a 1", "[", "{", "]", "}", "'unterminated", "\"esc \\q\"", "- a",
      "a: b: c", "500/s", "2.5/s", "1/0s", "10.0.0.300", "client <-> client", "client -> nowhere",
      "delay 1s 1s reorder 5%", "request-response-server", "64KiB", "1min", "0.0000001s", "%",
      "?", "|", ">", "#", "@", "`", "\t", "\u0000", "\u00e9t\u00e9", "\ud83d\ude00", "\uffff");

  /** Characters random insertions draw from: YAML's syntax and a few oddities. */
  private static final char[] NOISE = ":-[]{},#&*!|>'\"%@` \t\n\r\\/.0123456789abcxyz\u0000\u0001\u007f\u00a0\u2028\ufeff"
      .toCharArray();

  @BeforeAll
  static void readTheGallery() throws IOException {
    for (Path p : GalleryTest.galleryFiles()) {
      GALLERY.add(Files.readString(p, StandardCharsets.UTF_8));
    }
    assertTrue(GALLERY.size() >= 8, "the gallery was not found under " + GalleryTest.GALLERY);
  }

  /** One edit to a file; its numbers pick lines, offsets and replacements modulo their sizes. */
  record Mutation(int kind, int a, int b) {
    String apply(String text) {
      List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
      int line = Math.floorMod(a, lines.size());
      String l = lines.get(line);
      switch (kind) {
        case 0 -> { // rename the line's key: drop, double or change one of its characters
          int colon = l.indexOf(':');
          if (colon > 0) {
            int at = Math.floorMod(b, colon);
            char ch = NOISE[Math.floorMod(b >> 8, NOISE.length)];
            String key = switch (Math.floorMod(b >> 16, 3)) {
              case 0 -> l.substring(0, at) + l.substring(at + 1, colon);
              case 1 -> l.substring(0, at) + l.charAt(at) + l.substring(at, colon);
              default -> l.substring(0, at) + (ch == ':' ? 'q' : ch) + l.substring(at + 1, colon);
            };
            lines.set(line, key + l.substring(colon));
          }
        }
        case 1 -> { // replace the line's value with a wrong one
          int colon = l.indexOf(": ");
          String bad = BAD_VALUES.get(Math.floorMod(b, BAD_VALUES.size()));
          lines.set(line, colon < 0 ? l + " " + bad : l.substring(0, colon + 2) + bad);
        }
        case 2 -> lines.remove(line);
        case 3 -> lines.set(line, l.substring(0, Math.floorMod(b, l.length() + 1)));
        case 4 -> lines.add(line, l);
        case 5 -> lines.set(line, (Math.floorMod(b, 2) == 0 ? " " : "") + l.replaceFirst("^ ", ""));
        case 6 -> { // random characters in the middle of the line
          int at = Math.floorMod(b, l.length() + 1);
          StringBuilder s = new StringBuilder(l.substring(0, at));
          for (int i = 0; i <= Math.floorMod(b >> 8, 4); i++) {
            s.append(NOISE[Math.floorMod((b >> (10 + i * 5)) + i * 7, NOISE.length)]);
          }
          lines.set(line, s + l.substring(at));
        }
        default -> {
          return text.substring(0, Math.floorMod(b, text.length() + 1)); // cut the document short
        }
      }
      return String.join("\n", lines);
    }
  }

  static final Gen<Mutation> MUTATION = Gen.combine(Gen.ints(0, 7), Gen.ints(0, Integer.MAX_VALUE),
      Gen.ints(0, Integer.MAX_VALUE), Mutation::new);

  static String mutate(int file, List<Mutation> mutations) {
    String text = GALLERY.get(file);
    for (Mutation m : mutations) {
      text = m.apply(text);
    }
    return text;
  }

  /** Loads {@code text}; a model or a fully located error passes, anything else fails. */
  static void survives(String text) {
    try {
      ExperimentFile f = ExperimentLoader.parse("mutant.yaml", text);
      assertFalse(f.points().isEmpty(), "a valid file has at least one grid point");
    } catch (ExperimentError e) {
      assertFalse(e.problems().isEmpty());
      for (Problem p : e.problems()) {
        assertEquals("mutant.yaml", p.file());
        assertTrue(p.line() >= 1 && p.column() >= 1, "unlocated: " + p);
        assertFalse(p.key().isBlank() || p.key().equals("(internal)"), "the loader broke: " + p);
        assertFalse(p.message().isBlank(), "no message: " + p);
        assertFalse(p.message().contains("\n"), "a problem is one line: " + p);
      }
    }
  }

  @Test
  void mutatedGalleryFilesLoadOrFailWithLocatedErrors() {
    Property.forAll(Gen.pairs(Gen.ints(0, GALLERY.size() - 1), MUTATION.list(1, 4)))
        .named("mutated gallery files give a model or located errors")
        .cases(300)
        .show(p -> "file " + p.first() + " with " + p.second() + ":\n" + mutate(p.first(), p.second()))
        .verify(p -> survives(mutate(p.first(), p.second())));
  }

  @Test
  void randomCharactersGiveLocatedErrors() {
    Gen<String> noise = Gen.ints(0, NOISE.length - 1).list(0, 200).map(idx -> {
      StringBuilder b = new StringBuilder();
      for (int i : idx) {
        b.append(NOISE[i]);
      }
      return b.toString();
    });
    Property.forAll(noise)
        .named("random characters give located errors")
        .cases(300)
        .verify(LoaderRobustnessTest::survives);
  }

  @Test
  void galleryFilesWithRandomBytesLoadOrFailWithLocatedErrors(@TempDir Path dir) {
    // Byte-level edits reach the UTF-8 decoding that text-level ones cannot.
    Gen<int[]> edit = Gen.combine(Gen.ints(0, Integer.MAX_VALUE), Gen.ints(0, 255),
        (at, value) -> new int[] {at, value});
    Property.forAll(Gen.pairs(Gen.ints(0, GALLERY.size() - 1), edit.list(1, 4)))
        .named("gallery files with random bytes give a model or located errors")
        .cases(200)
        .show(p -> "file " + p.first() + " with bytes " + p.second().stream()
            .map(e -> e[1] + "@" + e[0]).toList())
        .verify(p -> {
          byte[] bytes = GALLERY.get(p.first()).getBytes(StandardCharsets.UTF_8);
          for (int[] e : p.second()) {
            bytes[Math.floorMod(e[0], bytes.length)] = (byte) e[1];
          }
          Path f = dir.resolve("mutant.yaml");
          Files.write(f, bytes);
          try {
            ExperimentLoader.load(f);
          } catch (ExperimentError err) {
            for (Problem q : err.problems()) {
              assertEquals(f.toString(), q.file());
              assertTrue(q.line() >= 1 && q.column() >= 1, "unlocated: " + q);
              assertFalse(q.key().equals("(internal)"), "the loader broke: " + q);
              assertFalse(q.message().contains("\n"), "a problem is one line: " + q);
            }
          }
        });
  }

  @Test
  void everyPrefixOfAGalleryFileLoadsOrFailsWithLocatedErrors() {
    // Exhaustive over one file: a document cut at every offset.
    String text = GALLERY.get(0);
    for (int i = 0; i <= text.length(); i += 7) {
      try {
        survives(text.substring(0, i));
      } catch (AssertionError e) {
        fail("cut at offset " + i + ": " + e.getMessage(), e);
      }
    }
  }

  @Test
  void renamingAKeyIsCaughtWithTheNearestValidOne() throws Exception {
    String text = GALLERY.get(0).replace("duration:", "duraton:");
    try {
      ExperimentLoader.parse("mutant.yaml", text);
      fail("a renamed key must not load");
    } catch (ExperimentError e) {
      assertTrue(e.getMessage().contains("duraton: unknown key (did you mean 'duration'?)"), e.getMessage());
    }
  }

}
