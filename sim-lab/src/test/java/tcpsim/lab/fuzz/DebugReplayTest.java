package tcpsim.lab.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.link.WireTap;
import tcpsim.net.observe.TcpdumpFormatter;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TcpState;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Segment;

class DebugReplayTest {
  static final class Print implements WireTap, TcpStack.StateObserver {
    public void transmitted(long t, String link, Segment s) { System.out.println(Nanos.format(t) + " tx " + link + " " + TcpdumpFormatter.describe(s)); }
    public void delivered(long t, String link, Segment s) { System.out.println(Nanos.format(t) + " rx " + link + " " + TcpdumpFormatter.describe(s)); }
    public void dropped(long t, String link, Segment s, DropReason r) { System.out.println(Nanos.format(t) + " DROP " + link + " " + r + " " + TcpdumpFormatter.describe(s)); }
    public void stateChanged(long t, TcpConnection c, TcpState f, TcpState to, String cause) { System.out.println(Nanos.format(t) + " STATE " + c.localPort() + " " + f + "->" + to + " " + cause); }
  }

  @Test
  void replay() throws Exception {
    String file = System.getProperty("fz.file");
    if (file == null) return;
    FuzzConfig cfg = FuzzConfig.named(System.getProperty("fz.config", "short-time-wait"));
    String[] r = new Fuzzer(cfg, KnownStackBugs.ALL, 40).replay(Fuzzer.parse(Files.readAllLines(Path.of(file))), new Print());
    System.out.println(r == null ? "ok" : r[0] + ": " + r[1]);
  }
}
