package tcpsim.lab.script;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.core.check.Gen;
import tcpsim.core.check.Property;
import tcpsim.lab.script.ScriptBackend.SyscallOutcome;
import tcpsim.lab.script.ScriptBackend.SyscallResult;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/**
 * No input makes the front end or the runner crash or hang: random bytes, random token streams
 * and mutations of the spec corpus each end in PASS, FAIL, UNSUPPORTED or a located ScriptError.
 * A failure prints the replay line (seed and case) first.
 */
class ParserRobustnessTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private static final List<String> SAMPLES = new ArrayList<>();

  /** Pieces of the notation, so random streams reach deep into the grammar. */
  private static final List<String> TOKENS = List.of("0", "+0", "+.1", "0.100", "1.5", "~", "*", "...",
      "<", ">", "S", "S.", ".", "P.", "F.", "R", "-", "0:0(0)", "1:1(0)", "1:1001(1000)", "ack", "1",
      "win", "65535", "urg", "<mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>", "<...>", "<nop,", "sack",
      "1:2", "eol>", "socket(..., SOCK_STREAM, IPPROTO_TCP)", "close(3)", "accept(3,", "=", "-1",
      "EAGAIN", "(Resource temporarily unavailable)", "[1]", "{onoff=1, linger=0}", "[{fd=3,",
      "events=POLLIN}]", "O_RDWR|O_NONBLOCK", "NULL", "(", ")", "[", "]", "{", "}", ",", "|", "\n",
      "\n", "\n", "`defaults.sh`", "`ss -tan state time-wait | grep -q ':8080'`", "`reboot`", "%{",
      "assert", "tcpi_rto", "<=", "==", "and", ";", "}%", "--mss=1000", "--tolerance_usecs=", "//",
      "/*", "*/", "0x10", "99999999999999999999", "4294967296", "\"", "'", "`", "icmp", "udp", "FO",
      "TS", "val", "ecr", "%");

  @BeforeAll
  static void readTheCorpus() throws IOException {
    try (Stream<Path> walk = Files.walk(ROOT.resolve("specs/pkt"))) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".pkt")).sorted().toList()) {
        SAMPLES.add(Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    assertTrue(SAMPLES.size() >= 5, "the spec corpus was not found under " + ROOT.resolve("specs/pkt"));
    SAMPLES.add(ScriptRunnerTest.OPEN + "+.1 write(4, ..., 1000) = 1000\n+0 > P. 1:1001(1000) ack 1 <...>\n"
        + "+0...0.5 read(4, ..., 1000) = 10\n+.1 < P. 1:11(10) ack 1001 win 1050\n"
        + "+0 %{ assert 0 <= tcpi_rto <= 3000000; assert tcpi_unacked == 0 }%\n");
  }

  /** Reads {@code text}; if it parses, runs it against a fake stack; fails on anything but a result. */
  static void survives(String text) {
    Script script;
    try {
      script = Parser.parse("fuzz.pkt", text);
    } catch (ScriptError e) {
      outcomes[0]++;
      assertTrue(e.line() >= 1 && e.column() >= 1, e::getMessage);
      assertTrue(e.getMessage().startsWith("fuzz.pkt:" + e.line() + ":" + e.column() + ": error: "),
          e::getMessage);
      return;
    }
    ScriptResult r = ScriptRunner.run(script, answeringBackend());
    assertNotNull(r);
    outcomes[r instanceof ScriptResult.Pass ? 1 : r instanceof ScriptResult.Fail ? 2 : 3]++;
  }

  /** How cases ended: located error, PASS, FAIL, UNSUPPORTED (to show the generators reach each). */
  private static final int[] outcomes = new int[4];

  /** A fake that answers a SYN, echoes data with an ACK and returns plausible call results. */
  static FakeBackend answeringBackend() {
    FakeBackend b = new FakeBackend();
    b.tcpInfo.put("tcpi_rto", 200_000L);
    b.tcpInfo.put("tcpi_unacked", 0L);
    b.onCall = c -> switch (c.name()) {
      case "socket", "accept" -> new SyscallOutcome.Returned(SyscallResult.ok(b.fds.open()));
      case "read" -> new SyscallOutcome.Blocked();
      case "connect" -> new SyscallOutcome.Returned(SyscallResult.error("EINPROGRESS"));
      default -> new SyscallOutcome.Returned(SyscallResult.ok(0));
    };
    b.onInject = s -> s.has(TcpFlags.SYN)
        ? List.of(FakeBackend.at(0, FakeBackend.local(TcpFlags.SYN | TcpFlags.ACK, 0, s.seq() + 1, 65535,
            TcpOptions.builder().mss(1460).build(), 0)))
        : s.payloadLength() > 0
            ? List.of(FakeBackend.at(40_000, FakeBackend.local(TcpFlags.ACK, 1, s.seq() + s.payloadLength(),
                1050, TcpOptions.NONE, 0)))
            : List.of();
    b.completeAt(500_000, SyscallResult.ok(10));
    return b;
  }

  @Test
  void randomBytesEndInAScriptOrALocatedError() {
    Gen<String> bytes = Gen.frequency(
        Gen.weighted(1, Gen.ints(0, 255)),
        Gen.weighted(3, Gen.elementOf("0123456789+-.:<>()[]{}=,|~*`%/\"' \n\tSFRP.abcxyz_".chars()
            .boxed().toList())))
        .list(0, 300).map(ParserRobustnessTest::text);
    assertTimeoutPreemptively(LIMIT, () -> Property.forAll(bytes).named("random bytes").cases(400)
        .verify(ParserRobustnessTest::survives));
  }

  @Test
  void randomTokenStreamsEndInAScriptOrALocatedError() {
    Gen<String> tokens = Gen.elementOf(TOKENS).list(0, 80).map(ts -> String.join(" ", ts));
    assertTimeoutPreemptively(LIMIT, () -> Property.forAll(tokens).named("random token streams").cases(400)
        .verify(ParserRobustnessTest::survives));
  }

  /** One edit of a sample: 0 drop a line, 1 swap two lines, 2 truncate, 3 change a number, 4 duplicate a line. */
  record Mutation(int kind, int a, int b, long number) {}

  @Test
  void mutationsOfTheCorpusEndInAResultOrALocatedError() {
    Gen<Mutation> mutation = Gen.combine(Gen.ints(0, 4), Gen.ints(0, 10_000), Gen.ints(0, 10_000),
        (k, a, b) -> new Mutation(k, a, b, 0L)).flatMap(m -> Gen.frequency(
            Gen.weighted(3, Gen.longs(0, 100)), Gen.weighted(1, Gen.longs(0, Long.MAX_VALUE)))
        .map(n -> new Mutation(m.kind(), m.a(), m.b(), n)));
    Gen<String> mutant = Gen.combine(Gen.ints(0, SAMPLES.size() - 1), mutation.list(1, 4),
        (i, ms) -> {
          String s = SAMPLES.get(i);
          for (Mutation m : ms) {
            s = apply(s, m);
          }
          return s;
        });
    java.util.Arrays.fill(outcomes, 0);
    assertTimeoutPreemptively(LIMIT, () -> Property.forAll(mutant).named("mutated corpus").cases(500)
        .verify(ParserRobustnessTest::survives));
    // The mutants must reach the runner, not only the error paths: each outcome occurs.
    for (int i = 0; i < 4; i++) {
      assertTrue(outcomes[i] > 0, "no case ended as outcome " + i + ": " + java.util.Arrays.toString(outcomes));
    }
  }

  static String apply(String text, Mutation m) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    int n = lines.size();
    switch (m.kind()) {
      case 0 -> lines.remove(m.a() % n);
      case 1 -> {
        int i = m.a() % n;
        int j = m.b() % n;
        String t = lines.get(i);
        lines.set(i, lines.get(j));
        lines.set(j, t);
      }
      case 2 -> {
        return text.substring(0, m.a() % (text.length() + 1));
      }
      case 3 -> {
        java.util.regex.Matcher digits = java.util.regex.Pattern.compile("\\d+").matcher(text);
        List<int[]> spans = new ArrayList<>();
        while (digits.find()) {
          spans.add(new int[] {digits.start(), digits.end()});
        }
        if (spans.isEmpty()) {
          return text;
        }
        int[] sp = spans.get(m.a() % spans.size());
        return text.substring(0, sp[0]) + m.number() + text.substring(sp[1]);
      }
      default -> lines.add(m.b() % n, lines.get(m.a() % n));
    }
    return String.join("\n", lines);
  }

  private static String text(List<Integer> codes) {
    StringBuilder b = new StringBuilder(codes.size());
    for (int c : codes) {
      b.append((char) c);
    }
    return b.toString();
  }
}
