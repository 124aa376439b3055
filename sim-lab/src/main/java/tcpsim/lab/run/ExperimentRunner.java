package tcpsim.lab.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tcpsim.core.event.HeapEventSet;
import tcpsim.core.event.Simulation;
import tcpsim.core.event.SimulationLimitException;
import tcpsim.lab.experiment.App;
import tcpsim.lab.experiment.Experiment;
import tcpsim.lab.experiment.Fault;
import tcpsim.lab.experiment.HostSpec;
import tcpsim.lab.experiment.LinkSpec;
import tcpsim.lab.experiment.Metrics;
import tcpsim.lab.experiment.Workload;
import tcpsim.lab.report.LadderTap;
import tcpsim.lab.report.RunTrace;
import tcpsim.lab.report.StateTimeline;
import tcpsim.net.host.Host;
import tcpsim.net.host.Network;
import tcpsim.net.link.LinkRule;
import tcpsim.net.link.Partition;
import tcpsim.net.link.WireTap;
import tcpsim.net.observe.PcapDirectory;
import tcpsim.net.observe.SocketRow;
import tcpsim.net.observe.SsTable;
import tcpsim.net.socket.SocketApi;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TcpState;
import tcpsim.net.tcp.TimeWaitSocket;
import tcpsim.net.wire.Segment;

/**
 * Runs one {@link Experiment} with one seed on one {@link Simulation}: builds the network (hosts
 * with their sysctls, links with their netem settings), starts each application at its start
 * time as its own process (its own descriptor table limited to the host's fd_limit), plays the
 * fault schedule, samples the metrics, and runs for the duration. Nothing outside the
 * experiment and the seed reaches the result: the same pair gives the same {@link RunResult}.
 *
 * <pre>{@code
 * ExperimentFile f = ExperimentLoader.load(Path.of("specs/experiments/close-wait-leak.yaml"));
 * GridPoint p = f.points().get(0);
 * RunResult r = ExperimentRunner.run(p.experiment(), p.seed(), p.id(), ExperimentRunner.Options.DEFAULT);
 * r.errnoCount("leaky", "accept()", "EMFILE");
 * }</pre>
 *
 * <p>Faults: {@code partition}/{@code heal} cut and restore a link (both ways for {@code a <->
 * b}); {@code crash} silences the host and stops its processes; {@code reboot} empties its TCP
 * stack and starts its applications again; {@code pull_cable}/{@code plug_cable} cut and restore
 * every path to and from the host while it keeps running.
 *
 * <p>Caveats: a heal restores every partition between the link's hosts, a pulled cable's too. A
 * run past {@link Options#maxEvents} fails with a {@link RunError} rather than running for hours.
 */
public final class ExperimentRunner {
  /** The states the timeline counts, in ss's order of interest. */
  static final TcpState[] TIMELINE_STATES = {
    TcpState.LISTEN, TcpState.SYN_SENT, TcpState.SYN_RECV, TcpState.ESTABLISHED,
    TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, TcpState.CLOSING, TcpState.TIME_WAIT,
    TcpState.CLOSE_WAIT, TcpState.LAST_ACK
  };
  /** States whose first entry on a host is a key event. */
  private static final Set<TcpState> MILESTONE_STATES = Set.of(TcpState.ESTABLISHED,
      TcpState.FIN_WAIT2, TcpState.TIME_WAIT, TcpState.CLOSE_WAIT, TcpState.LAST_ACK,
      TcpState.CLOSING);
  /** States a connection leaves for CLOSE only when it is aborted. */
  private static final Set<TcpState> ABORTIVE_FROM = Set.of(TcpState.ESTABLISHED,
      TcpState.CLOSE_WAIT, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, TcpState.SYN_SENT,
      TcpState.SYN_RECV);

  /**
   * What to record besides the metrics.
   *
   * @param ladderConnections draw the first this many connections in the report's ladder; 0: no
   *     report trace
   * @param pcapDir write one pcap per host there, or null
   * @param ssAtNanos take an {@code ss -tan} snapshot of every host at each of these times
   * @param maxEvents the run fails with a {@link RunError} past this many events (a guard
   *     against a rate and duration that would run for hours)
   */
  public record Options(int ladderConnections, Path pcapDir, List<Long> ssAtNanos, long maxEvents) {
    /** About a minute of one core on a laptop-class machine. */
    public static final long DEFAULT_MAX_EVENTS = 100_000_000L;
    public static final Options DEFAULT = new Options(0, null, List.of(), DEFAULT_MAX_EVENTS);

    public Options(int ladderConnections, Path pcapDir, List<Long> ssAtNanos) {
      this(ladderConnections, pcapDir, ssAtNanos, DEFAULT_MAX_EVENTS);
    }

    public Options {
      if (ladderConnections < 0) {
        throw new IllegalArgumentException("ladderConnections must be >= 0, was " + ladderConnections);
      }
      ssAtNanos = List.copyOf(ssAtNanos);
      if (maxEvents < 1) {
        throw new IllegalArgumentException("maxEvents must be >= 1, was " + maxEvents);
      }
    }
  }

  private final Experiment experiment;
  private final long seed;
  private final String pointId;
  private final Options options;
  private final Simulation sim;
  private final Network net;
  private final Map<String, TcpStack> stacks = new LinkedHashMap<>();
  private final Map<String, HostSpec> specs = new LinkedHashMap<>();
  private final Map<String, List<AppProcess>> processes = new LinkedHashMap<>();
  private final Map<String, Recorder.AppTally> tallies = new LinkedHashMap<>();
  private final Recorder recorder;
  private final RunContext ctx;
  private final List<RunResult.StateSample> stateSamples = new ArrayList<>();
  private final List<RunResult.PortSample> portSamples = new ArrayList<>();
  private final List<RunResult.SsSnapshot> ssSnapshots = new ArrayList<>();
  private final Set<String> milestones = new HashSet<>(); // membership only

  private ExperimentRunner(Experiment experiment, long seed, String pointId, Options options) {
    this.experiment = experiment;
    this.seed = seed;
    this.pointId = pointId;
    this.options = options;
    this.sim = new Simulation(seed, new HeapEventSet(), options.maxEvents(), Long.MAX_VALUE);
    this.net = new Network(sim);
    this.recorder = new Recorder(this::stateNote);
    this.ctx = new RunContext(sim, recorder);
  }

  /** Runs {@code experiment} with {@code seed}; {@code pointId} names the grid point in the result. */
  public static RunResult run(Experiment experiment, long seed, String pointId, Options options)
      throws RunError, IOException {
    try {
      return new ExperimentRunner(experiment, seed, pointId, options).go();
    } catch (SimulationLimitException e) {
      throw new RunError("the run was stopped: " + e.getMessage()
          + "; shorten the duration or lower the rates");
    }
  }

  private RunResult go() throws IOException {
    net.setMslNanos(experiment.mslNanos());
    for (HostSpec h : experiment.hosts()) {
      Host host = net.host(h.name(), h.address());
      TcpStack stack = host.attach((s, r, ip, a) -> new TcpStack(s, h.name(), a, ip, h.sysctls()));
      stacks.put(h.name(), stack);
      specs.put(h.name(), h);
      processes.put(h.name(), new ArrayList<>());
      stack.addStateObserver(this::milestone);
      stack.addDropObserver((now, seg, reason) -> firstTime(h.name(), "drop " + reason.name(),
          now, "drops " + describe(seg) + ": " + reason.name()));
    }
    for (LinkSpec l : experiment.links()) {
      if (l.bothWays()) {
        net.duplex(l.from(), l.to(), l.netem());
      } else {
        net.link(l.from(), l.to(), l.netem());
      }
      if (l.lateDuplicates().active()) {
        lateDuplicates(l.from(), l.to(), l.lateDuplicates());
        if (l.bothWays()) {
          lateDuplicates(l.to(), l.from(), l.lateDuplicates());
        }
      }
    }
    net.addTap(new WireTap() {
      @Override
      public void transmitted(long nowNanos, String link, Segment s) {
        sim.digest().add(((long) s.srcPort() << 16) | s.dstPort());
        sim.digest().add(((long) s.seq() << 32) | (s.ack() & 0xffffffffL));
        sim.digest().add(((long) s.flags() << 32) | s.payloadLength());
      }
    });
    LadderTap ladder = null;
    if (options.ladderConnections() > 0) {
      ladder = new LadderTap();
      FirstConnections first = new FirstConnections(ladder, options.ladderConnections(), net);
      net.addTap(first);
      for (TcpStack s : stacks.values()) {
        s.addStateObserver(first);
      }
    }
    PcapDirectory pcap = options.pcapDir() == null ? null : PcapDirectory.perHost(options.pcapDir());
    if (pcap != null) {
      net.addTap(pcap);
    }
    try {
      setUpApps();
      scheduleFaults();
      scheduleSampling();
      sim.runUntil(experiment.durationNanos());
    } finally {
      if (pcap != null) {
        pcap.close();
      }
    }
    return result(ladder);
  }

  // -------------------------------------------------------------------------------------------
  // Applications
  // -------------------------------------------------------------------------------------------

  private void setUpApps() {
    for (App a : experiment.apps()) {
      if (a.workload() instanceof Workload.ConnectionChurn
          || a.workload() instanceof Workload.SessionClient) {
        // Churn and sessions reuse 4-tuples; their bytes name their incarnation so a stale one is seen.
        ctx.tagContent();
        stacks.values().forEach(st -> st.setKeepPayload(true));
      }
    }
    for (App a : experiment.apps()) {
      tallies.put(a.name(), recorder.register(a.name(), a.host(), a.kind().yamlName()));
      int port = a.workload().listenPort();
      if (port >= 0) {
        ctx.addServer(a.name(), new RunContext.Endpoint(specs.get(a.host()).address(), port));
      }
    }
    for (App a : experiment.apps()) {
      RunContext.Exchange x = exchangeOf(a.workload());
      if (x != null) {
        ctx.addExchange(a.workload().target().orElseThrow(), specs.get(a.host()).address(), x);
      }
    }
    for (App a : experiment.apps()) {
      sim.schedule(a.startNanos(), (now, arg) -> launch(a), 0);
    }
  }

  /** What a client asks of its server, or null for a server. */
  private static RunContext.Exchange exchangeOf(Workload w) {
    if (w instanceof Workload.RequestResponseClient c) {
      return new RunContext.Exchange(c.requestBytes(), c.responseBytes());
    } else if (w instanceof Workload.ConnectionChurn c) {
      return new RunContext.Exchange(c.requestBytes(), c.responseBytes());
    } else if (w instanceof Workload.ImpatientClient c) {
      return new RunContext.Exchange(c.requestBytes(), c.responseBytes());
    } else if (w instanceof Workload.BulkTransfer c) {
      return new RunContext.Exchange(c.bytes(), 0);
    } else if (w instanceof Workload.IdleConnections) {
      return new RunContext.Exchange(0, 0);
    }
    return null;
  }

  private void launch(App a) {
    // A syn-flood writes onto the wire and has no sockets; every other kind is a socket process.
    SocketApi api = null;
    if (!(a.workload() instanceof Workload.SynFlood)) {
      api = new SocketApi(stacks.get(a.host()));
      // SocketApi needs room past stdio; a limit of 1 to 3 leaves none either way.
      api.setNofileLimit(Math.max(4, specs.get(a.host()).fdLimit()));
    }
    Recorder.AppTally t = tallies.get(a.name());
    Workload wl = a.workload();
    AppProcess p;
    if (wl instanceof Workload.NeverClosingServer w) {
      p = new NeverClosingServerApp(ctx, a, api, t, w);
    } else if (wl instanceof Workload.RequestResponseServer w) {
      p = new RequestResponseServerApp(ctx, a, api, t, w);
    } else if (wl instanceof Workload.RequestResponseClient w) {
      p = new RequestResponseClientApp(ctx, a, api, t, w);
    } else if (wl instanceof Workload.ConnectionChurn w) {
      p = new ConnectionChurnApp(ctx, a, api, t, w);
    } else if (wl instanceof Workload.ImpatientClient w) {
      p = new ImpatientClientApp(ctx, a, api, t, w);
    } else if (wl instanceof Workload.BulkTransfer w) {
      p = new BulkTransferApp(ctx, a, api, t, w);
    } else if (wl instanceof Workload.IdleConnections w) {
      p = new IdleConnectionsApp(ctx, a, api, t, w);
    } else if (wl instanceof Workload.EchoServer w) {
      p = new EchoServerApp(ctx, a, api, t, w);
    } else if (wl instanceof Workload.SessionClient w) {
      p = new SessionClientApp(ctx, a, api, t, w);
    } else if (wl instanceof Workload.SynFlood w) {
      Host host = net.host(a.host());
      p = new SynFloodApp(ctx, a, t, w, host.ip(), host.address());
    } else {
      throw new IllegalStateException("no process for workload " + wl);
    }
    processes.get(a.host()).add(p);
    p.start();
  }

  // -------------------------------------------------------------------------------------------
  // Faults
  // -------------------------------------------------------------------------------------------

  private void scheduleFaults() {
    for (Fault f : experiment.faults()) {
      sim.schedule(f.atNanos(), (now, arg) -> apply(f), 0);
    }
  }

  private void apply(Fault f) {
    long now = sim.now();
    if (f instanceof Fault.Partition p) {
      String[] ends = linkEnds(p.link());
      if (p.link().contains("<->")) {
        net.partition(ends[0], ends[1]);
      } else {
        net.partitionOneWay(ends[0], ends[1]);
      }
      recorder.event(now, ends[0], "fault: partition " + p.link());
    } else if (f instanceof Fault.Heal h) {
      String[] ends = linkEnds(h.link());
      net.heal(ends[0], ends[1]);
      recorder.event(now, ends[0], "fault: heal " + h.link());
    } else if (f instanceof Fault.Crash c) {
      net.host(c.host()).crash();
      stopProcesses(c.host());
      recorder.event(now, c.host(), "fault: crash (no segment in or out from now on)");
    } else if (f instanceof Fault.Reboot r) {
      net.host(r.host()).reboot();
      stopProcesses(r.host());
      recorder.event(now, r.host(), "fault: reboot (every socket forgotten, apps restarted)");
      for (App a : experiment.apps()) {
        if (a.host().equals(r.host())) {
          launch(a);
        }
      }
    } else if (f instanceof Fault.PullCable p) {
      List<String> others = new ArrayList<>();
      for (HostSpec h : experiment.hosts()) {
        if (!h.name().equals(p.host())) {
          others.add(h.name());
        }
      }
      if (!others.isEmpty()) {
        net.partition(Partition.between(List.of(p.host()), others).from(now));
      }
      recorder.event(now, p.host(), "fault: cable pulled");
    } else if (f instanceof Fault.PlugCable p) {
      for (HostSpec h : experiment.hosts()) {
        if (!h.name().equals(p.host())) {
          net.heal(p.host(), h.name());
        }
      }
      recorder.event(now, p.host(), "fault: cable plugged back in");
    }
  }

  private void stopProcesses(String host) {
    for (AppProcess p : processes.get(host)) {
      p.stop();
    }
    processes.get(host).clear();
  }

  private static String[] linkEnds(String key) {
    String sep = key.contains(" <-> ") ? " <-> " : " -> ";
    int i = key.indexOf(sep);
    return new String[] {key.substring(0, i).trim(), key.substring(i + sep.length()).trim()};
  }

  // -------------------------------------------------------------------------------------------
  // Metrics
  // -------------------------------------------------------------------------------------------

  private void scheduleSampling() {
    Metrics m = experiment.metrics();
    long end = experiment.durationNanos();
    if (m.socketStatesEveryNanos() > 0) {
      sampleEvery(m.socketStatesEveryNanos(), end, this::sampleStates);
    }
    if (m.portsInUseEveryNanos() > 0) {
      sampleEvery(m.portsInUseEveryNanos(), end, this::samplePorts);
    }
    for (long at : options.ssAtNanos()) {
      if (at <= end) {
        sim.schedule(at, (now, arg) -> snapshotSs(now), 0);
      }
    }
  }

  private void sampleEvery(long everyNanos, long endNanos, Runnable sample) {
    sim.schedule(0, new tcpsim.core.event.EventHandler() {
      @Override
      public void fire(long nowNanos, long arg) {
        sample.run();
        if (nowNanos + everyNanos <= endNanos) {
          sim.scheduleAfter(everyNanos, this, 0);
        }
      }
    }, 0);
  }

  /** Sockets per state by kernel code: full sockets plus the light TIME_WAIT / FIN_WAIT2 entries. */
  private int[] countStates(TcpStack stack) {
    int[] byCode = new int[16];
    for (TcpConnection c : stack.sockets()) {
      byCode[c.state().code()]++;
    }
    for (TimeWaitSocket tw : stack.timeWaitSockets()) {
      byCode[tw.state().code()]++;
    }
    return byCode;
  }

  private void sampleStates() {
    for (Map.Entry<String, TcpStack> e : stacks.entrySet()) {
      int[] byCode = countStates(e.getValue());
      List<Integer> counts = new ArrayList<>(TIMELINE_STATES.length);
      for (TcpState s : TIMELINE_STATES) {
        counts.add(byCode[s.code()]);
      }
      stateSamples.add(new RunResult.StateSample(sim.now(), e.getKey(), counts));
    }
  }

  private void samplePorts() {
    boolean[] used = new boolean[65536];
    for (Map.Entry<String, TcpStack> e : stacks.entrySet()) {
      java.util.Arrays.fill(used, false);
      int n = 0;
      for (TcpConnection c : e.getValue().sockets()) {
        int p = c.localPort();
        if (p != 0 && !used[p]) {
          used[p] = true;
          n++;
        }
      }
      for (TimeWaitSocket tw : e.getValue().timeWaitSockets()) {
        int p = tw.localPort();
        if (!used[p]) {
          used[p] = true;
          n++;
        }
      }
      portSamples.add(new RunResult.PortSample(sim.now(), e.getKey(), n));
    }
  }

  private void snapshotSs(long now) {
    for (Map.Entry<String, TcpStack> e : stacks.entrySet()) {
      List<SocketRow> rows = SocketRow.of(e.getValue());
      ssSnapshots.add(new RunResult.SsSnapshot(now, e.getKey(), SsTable.render(rows, false, false)));
    }
  }

  /** The host's CLOSE_WAIT and TIME_WAIT counts when not zero, for event lines. */
  private String stateNote(String host) {
    TcpStack stack = stacks.get(host);
    if (stack == null) {
      return "";
    }
    int[] byCode = countStates(stack);
    StringBuilder b = new StringBuilder();
    for (TcpState s : new TcpState[] {TcpState.CLOSE_WAIT, TcpState.TIME_WAIT}) {
      if (byCode[s.code()] > 0) {
        b.append(b.length() == 0 ? "" : " ").append(s.name()).append('=').append(byCode[s.code()]);
      }
    }
    return b.toString();
  }

  private void milestone(long now, TcpConnection c, TcpState from, TcpState to, String cause) {
    if (to == TcpState.CLOSE && ABORTIVE_FROM.contains(from)) {
      // A connection that ends without the FIN exchange: reset, timed out, or closed with unread data.
      firstTime(c.stack().name(), "abort from " + from, now, "first socket " + from + " -> CLOSE"
          + (cause == null || cause.isEmpty() ? "" : " (" + cause + ")"));
    } else if (MILESTONE_STATES.contains(to)) {
      firstTime(c.stack().name(), "state " + to, now, "first socket " + from + " -> " + to
          + (cause == null || cause.isEmpty() ? "" : " (" + cause + ")"));
    }
  }

  private void firstTime(String host, String key, long now, String text) {
    if (milestones.add(host + "\u0000" + key)) {
      recorder.event(now, host, text);
    }
  }

  private static String describe(Segment s) {
    return tcpsim.net.wire.TcpFlags.packetdrill(s.flags()) + " " + tcpsim.net.wire.Ipv4.format(s.srcAddr())
        + ":" + s.srcPort() + " > " + tcpsim.net.wire.Ipv4.format(s.dstAddr()) + ":" + s.dstPort();
  }

  // -------------------------------------------------------------------------------------------
  // Result
  // -------------------------------------------------------------------------------------------

  private RunResult result(LadderTap ladder) {
    Metrics m = experiment.metrics();
    List<RunResult.AppResult> apps = new ArrayList<>();
    for (Recorder.AppTally t : recorder.apps()) {
      List<RunResult.Percentile> pct = new ArrayList<>();
      long[] sorted = t.sortedLatencies();
      if (sorted.length > 0) {
        for (int ppm : m.connectLatencyPercentilesPpm()) {
          pct.add(new RunResult.Percentile(ppm, nearestRank(sorted, ppm)));
        }
      }
      apps.add(new RunResult.AppResult(t.app, t.host, t.kind,
          m.bytesDelivered() ? t.bytesDelivered : RunResult.NOT_RECORDED, t.latencyCount,
          m.errnoCounts() ? t.errnos : Map.of(), t.happenings, pct));
    }
    List<RunResult.HostResult> hosts = new ArrayList<>();
    for (Map.Entry<String, TcpStack> e : stacks.entrySet()) {
      TcpStack s = e.getValue();
      int[] byCode = countStates(s);
      Map<String, Integer> finals = new LinkedHashMap<>();
      for (TcpState st : TIMELINE_STATES) {
        if (byCode[st.code()] > 0) {
          finals.put(st.name(), byCode[st.code()]);
        }
      }
      hosts.add(new RunResult.HostResult(e.getKey(),
          m.retransmissions() ? s.counter("TcpRetransSegs") : RunResult.NOT_RECORDED, s.counters(), finals));
    }
    List<RunResult.Event> events = new ArrayList<>();
    for (Recorder.Event ev : recorder.events()) {
      events.add(new RunResult.Event(ev.atNanos(), ev.host(), ev.text()));
    }
    List<String> states = new ArrayList<>();
    for (TcpState s : TIMELINE_STATES) {
      states.add(s.name());
    }
    RunResult partial = new RunResult(experiment.name(), pointId, seed,
        experiment.durationNanos(), states, stateSamples, portSamples, apps, hosts, events,
        ssSnapshots, sim.firedCount(), sim.digest().hex(), Optional.empty());
    if (ladder == null) {
      return partial;
    }
    return new RunResult(partial.experiment(), partial.point(), seed, partial.durationNanos(),
        states, stateSamples, portSamples, apps, hosts, events, ssSnapshots, partial.eventsFired(),
        partial.digest(), Optional.of(trace(ladder, partial)));
  }

  /** Nearest-rank percentile: the smallest value with at least {@code ppm} of the values at or below it. */
  static long nearestRank(long[] sorted, int ppm) {
    long rank = ((long) ppm * sorted.length + 999_999) / 1_000_000;
    int i = (int) Math.max(0, Math.min(sorted.length - 1, rank - 1));
    return sorted[i];
  }

  private RunTrace trace(LadderTap ladder, RunResult r) {
    RunTrace.Builder b = ladder.toBuilder(experiment.name() + " (" + pointId + ", first "
        + options.ladderConnections() + " connections)", seed);
    // The timeline shows each host's states that were ever occupied.
    List<String> names = new ArrayList<>();
    List<int[]> cols = new ArrayList<>();
    List<String> hostNames = new ArrayList<>(stacks.keySet());
    for (int h = 0; h < hostNames.size(); h++) {
      for (int si = 0; si < TIMELINE_STATES.length; si++) {
        boolean any = false;
        for (RunResult.StateSample s : r.stateSamples()) {
          if (s.host().equals(hostNames.get(h)) && s.counts().get(si) > 0) {
            any = true;
            break;
          }
        }
        if (any) {
          names.add(hostNames.get(h) + " " + TIMELINE_STATES[si].name());
          cols.add(new int[] {h, si});
        }
      }
    }
    if (!names.isEmpty()) {
      StateTimeline.Builder tb = StateTimeline.builder(names.toArray(new String[0]));
      Map<Long, int[]> byTime = new LinkedHashMap<>();
      for (RunResult.StateSample s : r.stateSamples()) {
        int h = hostNames.indexOf(s.host());
        int[] row = byTime.computeIfAbsent(s.atNanos(), k -> new int[names.size()]);
        for (int i = 0; i < cols.size(); i++) {
          if (cols.get(i)[0] == h) {
            row[i] = s.counts().get(cols.get(i)[1]);
          }
        }
      }
      for (Map.Entry<Long, int[]> e : byTime.entrySet()) {
        tb.sample(e.getKey(), e.getValue());
      }
      b.timeline(tb.build());
    }
    for (RunResult.AppResult a : r.apps()) {
      for (Map.Entry<String, Long> e : a.errnos().entrySet()) {
        b.counter(a.name() + " " + e.getKey(), e.getValue());
      }
      for (Map.Entry<String, Long> e : a.happenings().entrySet()) {
        b.counter(a.name() + " " + e.getKey(), e.getValue());
      }
    }
    for (RunResult.HostResult h : r.hosts()) {
      for (Map.Entry<String, Long> e : h.counters().entrySet()) {
        b.counter(h.name() + " " + e.getKey(), e.getValue());
      }
    }
    return b.build();
  }


  /**
   * The link's {@code late-duplicate P% TIME}: each segment carrying data is, with chance P, also
   * delivered again up to TIME after the link's delay, the hold spread evenly over
   * {@value #LATE_STEPS} steps up to TIME ({@link LinkRule} duplicates, which the network's MSL
   * still bounds). The draws come from the link's own stream, split by its name. With {@code
   * late-duplicate every N TIME}, every Nth segment of any kind is delivered again exactly TIME
   * after the link's delay, counted from the start of the run (the fuzzer's {@code duplicate
   * client->server any%N hold T}); nothing is drawn.
   */
  private void lateDuplicates(String from, String to, LinkSpec.LateDuplicates late) {
    if (late.everyNth() > 0) {
      int nth = late.everyNth();
      long[] seen = {0};
      net.link(from, to).addRule(LinkRule.matching("every " + nth + "th segment",
          seg -> ++seen[0] % nth == 0).every().duplicateHeld(late.holdNanos()));
      return;
    }
    tcpsim.core.random.SimRandom random = sim.random().split("late-duplicate:" + from + "->" + to);
    int ppm = late.ppm();
    for (int i = 1; i <= LATE_STEPS; i++) {
      long hold = late.holdNanos() * i / LATE_STEPS;
      int step = i;
      // One draw per data segment picks whether and at which step it is copied.
      net.link(from, to).addRule(LinkRule.matching("late duplicate of a data segment",
          seg -> seg.payloadLength() > 0 && pick(random, ppm, step)).every().duplicateHeld(hold));
    }
  }

  private static final int LATE_STEPS = 64;
  private int lateDraw;

  /** Step 1 draws for the segment; the steps after it read the same draw. */
  private boolean pick(tcpsim.core.random.SimRandom random, int ppm, int step) {
    if (step == 1) {
      lateDraw = random.chancePpm(ppm) ? 1 + random.nextInt(LATE_STEPS) : 0;
    }
    return lateDraw == step;
  }
}
