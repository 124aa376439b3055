package tcpsim.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of mistake in an experiment file, and the exact located message it gets:
 * {@code file:line:column: key: what is wrong; valid choices or units}.
 */
class ExperimentErrorTest {
  /** A small valid file; each test breaks one thing in it. Line numbers below refer to it. */
  static final String VALID = """
      name: probe
      seed: 1
      duration: 60s
      hosts:
        client:
          address: 10.0.0.1
          sysctls:
            net.ipv4.tcp_fin_timeout: 5
        server:
          address: 10.0.0.2
      links:
        client <-> server: delay 50ms 10ms loss 1%
      apps:
        web:
          kind: request-response-server
          host: server
          port: 80
        churn:
          kind: connection-churn
          host: client
          target: web
          rate: 100/s
      faults:
        - at: 30s
          partition: client <-> server
      """;

  /** The messages the loader gives for {@code text}, one a problem; fails if it loads. */
  static List<String> problems(String text) {
    ExperimentError e = assertThrows(ExperimentError.class, () -> ExperimentLoader.parse("probe.yaml", text));
    return e.problems().stream().map(Problem::toString).toList();
  }

  static String only(String text) {
    List<String> p = problems(text);
    assertEquals(1, p.size(), "expected exactly one problem, got " + p);
    return p.get(0);
  }

  static String replace(String from, String to) {
    assertTrue(VALID.contains(from), "the test's file has no '" + from + "'");
    return VALID.replace(from, to);
  }

  @Test
  void theValidFileLoads() throws ExperimentError {
    ExperimentFile f = ExperimentLoader.parse("probe.yaml", VALID);
    assertEquals("probe", f.base().name());
    assertEquals(1, f.points().size());
    assertEquals("seed=1", f.points().get(0).id());
    assertEquals(List.of(new Fault.Partition(30_000_000_000L, "client <-> server")), f.base().faults());
  }

  @Test
  void anUnknownKeyNamesTheValidKeysAndTheNearestOne() {
    assertEquals("probe.yaml:10:5: hosts.server.adress: unknown key (did you mean 'address'?);"
        + " valid keys: address, sysctls, fd_limit",
        problems(replace("address: 10.0.0.2", "adress: 10.0.0.2")).get(0));
  }

  @Test
  void anUnknownApplicationKeyListsItsKindsParameters() {
    assertEquals("probe.yaml:22:5: apps.churn.rte: unknown key (did you mean 'rate'?); valid keys:"
        + " kind, host, start, target, rate, request_size, response_size, hold",
        problems(replace("rate: 100/s", "rte: 100/s")).get(0));
  }

  @Test
  void aMissingKeyIsReportedAtItsParent() {
    assertEquals("probe.yaml:9:3: hosts.server.address: missing required key",
        only(replace("    address: 10.0.0.2\n", "    fd_limit: 10\n")));
    assertEquals("probe.yaml:1:1: duration: missing required key", only(replace("duration: 60s\n", "")));
    assertEquals("probe.yaml:18:3: apps.churn.rate: missing required key (a connection-churn needs"
        + " host, target, rate)", only(replace("    rate: 100/s\n", "")));
  }

  @Test
  void aValueOfTheWrongTypeSaysWhatWasExpected() {
    assertEquals("probe.yaml:17:11: apps.web.port: expected a whole number, got 'eighty';"
        + " valid: 1 to 65535", only(replace("port: 80", "port: eighty")));
    assertEquals("probe.yaml:3:11: duration: expected a time, got a list; units: ns, us, ms, s,"
        + " min, h (e.g. 50ms, 2s)", only(replace("duration: 60s", "duration: [60s]")));
    assertEquals("probe.yaml:5:11: hosts.client: expected a map with address, sysctls, fd_limit,"
        + " got '10.0.0.1'", only(replace("""
              client:
                address: 10.0.0.1
                sysctls:
                  net.ipv4.tcp_fin_timeout: 5
            """, "  client: 10.0.0.1\n")));
  }

  @Test
  void numbersYamlWouldReadAsOctalOrHexAreRefused() {
    assertEquals("probe.yaml:17:11: apps.web.port: write whole numbers in plain decimal, got 0x50;"
        + " valid: 1 to 65535", only(replace("port: 80", "port: 0x50")));
    assertEquals("probe.yaml:8:33: hosts.client.sysctls.net.ipv4.tcp_fin_timeout: write whole"
        + " numbers in plain decimal, got 010", only(replace("tcp_fin_timeout: 5", "tcp_fin_timeout: 010")));
  }

  @Test
  void aUnitWithASpaceOrWithoutAUnitIsRefusedWithTheUnits() {
    assertEquals("probe.yaml:3:11: duration: '60 s' has a space before its unit; write 60s;"
        + " units: ns, us, ms, s, min, h (e.g. 50ms, 2s)", only(replace("duration: 60s", "duration: 60 s")));
    assertEquals("probe.yaml:3:11: duration: '60' has no unit; units: ns, us, ms, s, min, h"
        + " (e.g. 50ms, 2s)", only(replace("duration: 60s", "duration: 60")));
    assertEquals("probe.yaml:22:11: apps.churn.rate: '100' has no time base; units: a count per"
        + " second, millisecond or minute: N/s, N/ms, N/min (e.g. 500/s)",
        only(replace("rate: 100/s", "rate: 100")));
    assertEquals("probe.yaml:12:22: links.client <-> server: bad time '50' for 'delay': write a"
        + " number and a unit, one of ns, us, usec, usecs, ms, msec, msecs, s, sec, secs",
        only(replace("delay 50ms 10ms", "delay 50 ms")));
  }

  @Test
  void anOutOfRangeValueSaysTheRange() {
    assertEquals("probe.yaml:17:11: apps.web.port: 70000 is out of range; valid: 1 to 65535",
        only(replace("port: 80", "port: 70000")));
    assertEquals("probe.yaml:8:30: hosts.client.sysctls.net.ipv4.tcp_tw_reuse: must be in [0, 2],"
        + " was 7", only(replace("tcp_fin_timeout: 5", "tcp_tw_reuse: 7")));
    assertEquals("probe.yaml:24:9: faults[0].at: at 90s is after the end of the run (duration 60s)",
        only(replace("at: 30s", "at: 90s")));
    assertEquals("probe.yaml:22:11: apps.churn.rate: '2000/ms' is out of range; valid: above 0 and"
        + " at most 1000000/s", only(replace("rate: 100/s", "rate: 2000/ms")));
  }

  @Test
  void anUnknownSysctlSuggestsTheNearestName() {
    String p = only(replace("tcp_fin_timeout: 5", "tcp_fin_timout: 5"));
    assertTrue(p.startsWith("probe.yaml:8:7: hosts.client.sysctls.net.ipv4.tcp_fin_timout: unknown"
        + " sysctl (did you mean 'net.ipv4.tcp_fin_timeout'?); valid sysctls: net.ipv4.tcp_syn_retries,"), p);
  }

  @Test
  void anUnknownWorkloadKindListsTheLibrary() {
    assertEquals("probe.yaml:19:11: apps.churn.kind: unknown workload kind 'connection-chrun' (did"
        + " you mean 'connection-churn'?); kinds: request-response-server, request-response-client,"
        + " bulk-transfer, connection-churn, idle-connections, never-closing-server,"
        + " impatient-client, syn-flood, echo-server, session-client",
        only(replace("kind: connection-churn", "kind: connection-chrun")));
  }

  @Test
  void aSessionClientsSizesAreAListCheckedItemByItem() throws ExperimentError {
    String churn = "    kind: connection-churn\n    host: client\n    target: web\n    rate: 100/s\n";
    String sessions = "    kind: session-client\n    host: client\n    target: web\n    sizes: %s\n";
    assertEquals(List.of("probe.yaml:22:21: apps.churn.sizes[1]: '64 KiB' has a space before its"
        + " unit; write 64KiB; units: a number of bytes, or B, KB, MB, GB (powers of 1000), KiB,"
        + " MiB, GiB (powers of 1024) (e.g. 1500, 64KiB)",
        "probe.yaml:22:29: apps.churn.sizes[2]: '0' is out of range; valid: 1 to 1099511627776 bytes"),
        problems(replace(churn, sessions.formatted("[256KiB, 64 KiB, 0]"))));
    assertEquals("probe.yaml:22:12: apps.churn.sizes: expected a list of sizes, e.g. [256KiB, 64KiB],"
        + " got a map", only(replace(churn, sessions.formatted("{first: 256KiB}"))));
    Workload.SessionClient one = (Workload.SessionClient) ExperimentLoader.parse("probe.yaml",
        replace(churn, sessions.formatted("64KiB"))).base().app("churn").orElseThrow().workload();
    assertEquals(List.of(65536L), one.sessionBytes(), "a single size is a list of one");
    assertEquals("probe.yaml:22:12: apps.churn.sizes: holds 0 sizes; valid: 1 to 1000000",
        only(replace(churn, sessions.formatted("[]"))));
    assertEquals("probe.yaml:18:3: apps.churn.sizes: missing required key (a session-client needs"
        + " host, target, sizes)", only(replace(churn, sessions.formatted("[1]").replace("    sizes: [1]\n", ""))));
    assertEquals("probe.yaml:23:17: apps.churn.local_port: 65536 is out of range; valid: 0 to 65535",
        only(replace(churn, sessions.formatted("[1]") + "    local_port: 65536\n")));
  }

  @Test
  void unknownHostsAreReportedWhereLinksAppsAndFaultsNameThem() {
    assertEquals("probe.yaml:12:3: links.clinet <-> server: unknown host 'clinet' (did you mean"
        + " 'client'?); hosts: client, server", only(replace("client <-> server", "clinet <-> server")));
    assertEquals("probe.yaml:20:11: apps.churn.host: unknown host 'clietn' (did you mean 'client'?);"
        + " hosts: client, server", only(replace("host: client", "host: clietn")));
    assertEquals("probe.yaml:25:12: faults[0].crash: unknown host 'srever' (did you mean 'server'?);"
        + " hosts: client, server", only(replace("partition: client <-> server", "crash: srever")));
    assertEquals("probe.yaml:25:16: faults[0].partition: no link 'client <-> db'; links: client <-> server",
        only(replace("partition: client <-> server", "partition: client <-> db")));
  }

  @Test
  void aClientMustNameAReachableServer() {
    assertEquals("probe.yaml:21:13: apps.churn.target: unknown application 'wbe' (did you mean"
        + " 'web'?); servers: web", only(replace("target: web", "target: wbe")));
    assertEquals("probe.yaml:21:13: apps.churn.target: churn on client cannot reach web on server:"
        + " no link carries segments both ways between them; add 'client <-> server:' under links",
        only(replace("client <-> server", "client -> server")));
  }

  @Test
  void duplicateNamesAreRefused() {
    assertEquals("probe.yaml:9:3: hosts.client: duplicate key (first at line 5); each key appears"
        + " once in a map", only(replace("  server:\n    address: 10.0.0.2", "  client:\n    address: 10.0.0.2")));
    assertEquals("probe.yaml:10:14: hosts.server.address: 10.0.0.1 is already the address of host"
        + " 'client'; each host needs its own", only(replace("10.0.0.2", "10.0.0.1")));
    assertEquals("probe.yaml:9:7: hosts.client.sysctls.tcp_fin_timeout: net.ipv4.tcp_fin_timeout is"
        + " already set at line 8", only(replace("net.ipv4.tcp_fin_timeout: 5",
            "net.ipv4.tcp_fin_timeout: 5\n      tcp_fin_timeout: 6")));
    assertEquals("probe.yaml:21:11: apps.web2.port: port 80 on server is already taken by 'web'"
        + " (EADDRINUSE)", only(replace("  churn:", "  web2:\n    kind: never-closing-server\n"
            + "    host: server\n    port: 80\n  churn:")));
  }

  @Test
  void anImpossibleSweepPathSaysWhatCanBeSwept() {
    assertEquals("probe.yaml:27:11: sweep[0].path: cannot sweep 'apps.churn.rte': a connection-churn"
        + " has no parameter 'rte' (did you mean 'rate'?) (parameters: start, target, rate,"
        + " request_size, response_size, hold); sweepable: duration, msl, hosts.HOST.fd_limit,"
        + " hosts.HOST.sysctls.SYSCTL, links.LINK, apps.APP.PARAM",
        only(VALID + "sweep:\n  - path: apps.churn.rte\n    values: [1/s]\n"));
    assertEquals("probe.yaml:27:11: sweep[0].path: cannot sweep 'hosts.client.sysctls.tcp_tw_reus':"
        + " no sysctl 'tcp_tw_reus' (did you mean 'net.ipv4.tcp_tw_reuse'?); sweepable: duration,"
        + " msl, hosts.HOST.fd_limit, hosts.HOST.sysctls.SYSCTL, links.LINK, apps.APP.PARAM",
        only(VALID + "sweep:\n  - path: hosts.client.sysctls.tcp_tw_reus\n    values: [1]\n"));
  }

  @Test
  void aBadSweptValueIsReportedWhereTheSweepListsIt() {
    assertEquals("probe.yaml:28:19: apps.churn.rate: '5' has no time base; units: a count per"
        + " second, millisecond or minute: N/s, N/ms, N/min (e.g. 500/s)",
        only(VALID + "sweep:\n  - path: apps.churn.rate\n    values: [1/s, 5, 10/s]\n"));
    assertEquals("probe.yaml:28:17: hosts.client.sysctls.net.ipv4.tcp_tw_reuse: must be in [0, 2],"
        + " was 3", only(VALID + "sweep:\n  - path: hosts.client.sysctls.net.ipv4.tcp_tw_reuse\n"
            + "    values: [0, 3]\n"));
  }

  @Test
  void faultsMustMakeSenseInTimeOrder() {
    assertEquals("probe.yaml:25:11: faults[0].heal: 'client <-> server' is not partitioned at 30s;"
        + " a heal follows a partition", only(replace("partition: client", "heal: client")));
    assertEquals("probe.yaml:27:17: faults[1].pull_cable: client's cable is already out at 40s"
        + " (since 30s); plug it back first", only(replace("partition: client <-> server",
            "pull_cable: client\n  - at: 40s\n    pull_cable: client")));
    assertEquals("probe.yaml:26:5: faults[0].pull_cable: a fault does one thing, and this one"
        + " already does 'partition'; write a second fault",
        only(replace("partition: client <-> server", "partition: client <-> server\n    pull_cable: client")));
  }

  @Test
  void aProblemAwayFromTheSweptValueNamesTheSweepPoint() {
    assertEquals("probe.yaml:24:9: faults[0].at: at 30s is after the end of the run (duration 20s)"
        + " (in the sweep point duration=20s)",
        only(VALID + "sweep:\n  - path: duration\n    values: [60s, 20s]\n"));
  }

  @Test
  void aYamlSyntaxErrorIsLocated() {
    assertEquals("probe.yaml:17:4: (yaml): YAML syntax error: while parsing a block mapping:"
        + " expected <block end>, but found '<block mapping start>'",
        only(replace("    port: 80", "   port: 80")));
    assertEquals("probe.yaml:17:1: (yaml): YAML syntax error: while scanning for the next token:"
        + " found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for"
        + " indentation)", only(replace("    port: 80", "\tport: 80")));
  }

  @Test
  void yamlFeaturesTheFormatDoesNotUseAreRefusedWhereTheyAre() {
    assertEquals("probe.yaml:3:11: duration: aliases (*p) are not supported; write the value out",
        only(replace("port: 80", "port: &p 80").replace("duration: 60s", "duration: *p")));
    assertEquals("probe.yaml:27:1: (yaml): a second document starts here; an experiment file holds"
        + " one document (remove the '---' or split the file)", only(VALID + "---\nname: x\n"));
    assertEquals("probe.yaml:1:1: (top): the file holds nothing but blanks and comments; an"
        + " experiment needs at least name, seed, duration and hosts", only("# nothing yet\n"));
    assertEquals("probe.yaml:17:12: (yaml): the character U+0001 is not allowed in YAML; only tab,"
        + " newline and printable characters are", only(replace("port: 80", "port: 8\u00010")));
  }

  @Test
  void everyProblemIsReportedNotOnlyTheFirst() {
    List<String> p = problems(replace("duration: 60s", "duration: 60 s").replace("port: 80", "port: 0")
        .replace("host: client", "host: clietn"));
    assertEquals(List.of(
        "probe.yaml:3:11: duration: '60 s' has a space before its unit; write 60s; units: ns, us, ms,"
            + " s, min, h (e.g. 50ms, 2s)",
        "probe.yaml:17:11: apps.web.port: 0 is out of range; valid: 1 to 65535",
        "probe.yaml:20:11: apps.churn.host: unknown host 'clietn' (did you mean 'client'?); hosts:"
            + " client, server"), p);
  }

  @Test
  void problemsPastTheCapAreCountedNotListed() {
    StringBuilder b = new StringBuilder(VALID);
    for (int i = 0; i < 60; i++) {
      b.append("extra").append(i).append(": 1\n");
    }
    ExperimentError e = assertThrows(ExperimentError.class, () -> ExperimentLoader.parse("probe.yaml", b.toString()));
    assertEquals(ExperimentError.MAX_PROBLEMS, e.problems().size());
    assertEquals(10, e.omitted());
    assertTrue(e.getMessage().endsWith("(10 more problem(s) not shown)"), e.getMessage());
  }

  @Test
  void theErrorCarriesTheFirstProblemsParts() {
    ExperimentError e = assertThrows(ExperimentError.class,
        () -> ExperimentLoader.parse("probe.yaml", replace("port: 80", "port: 0")));
    assertEquals("probe.yaml", e.file());
    assertEquals(17, e.line());
    assertEquals(11, e.column());
    assertEquals("apps.web.port", e.key());
    assertEquals("0 is out of range; valid: 1 to 65535", e.detail());
  }

  @Test
  void aFileThatIsNotUtf8IsLocatedAtTheBadByte(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("latin1.yaml");
    Files.write(f, "name: probe\ndescription: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    ExperimentError e = assertThrows(ExperimentError.class, () -> ExperimentLoader.load(f));
    assertEquals(f + ":2:17: (file): not UTF-8 text: byte 0xe9 here starts no character; save the"
        + " file as UTF-8", e.problems().get(0).toString());
  }

  @Test
  void aMissingFileIsAnErrorNotAnException(@TempDir Path dir) {
    Path f = dir.resolve("nope.yaml");
    ExperimentError e = assertThrows(ExperimentError.class, () -> ExperimentLoader.load(f));
    assertEquals(f + ":1:1: (file): cannot read the file: NoSuchFileException " + f,
        e.problems().get(0).toString());
  }
}
