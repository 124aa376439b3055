package tcpsim.lab.run;

import tcpsim.core.event.Simulation;
import tcpsim.lab.experiment.App;
import tcpsim.net.socket.Errno;
import tcpsim.net.socket.SocketApi;
import tcpsim.net.socket.SysResult;

/**
 * One application of the workload library as a simulated process: its own descriptor table
 * ({@link SocketApi}, with the host's RLIMIT_NOFILE), driven only by virtual-time events and
 * socket readiness. The helpers here are the calls every workload makes, each reporting a failed
 * call's errno to the {@link Recorder} under the call's name.
 *
 * <p>A process stops when its host reboots or crashes: every callback checks {@link #stopped}
 * first, so a timer set before the reboot does nothing afterwards.
 */
abstract class AppProcess {
  /** Bytes handed to one send(2) at most; sizes can be up to a TiB. */
  static final int SEND_CHUNK = 1 << 20;

  final RunContext ctx;
  final App app;
  final Simulation sim;
  final SocketApi api;
  final Recorder.AppTally tally;
  final byte[] scratch = new byte[64 * 1024];
  /** A chunk of one tag's bytes for tagged sends, refilled when the tag changes. */
  private byte[] tagged = new byte[0];
  private byte taggedWith;
  boolean stopped;

  AppProcess(RunContext ctx, App app, SocketApi api, Recorder.AppTally tally) {
    this.ctx = ctx;
    this.app = app;
    this.sim = ctx.sim();
    this.api = api;
    this.tally = tally;
  }

  /** Starts the process at its start time (called once, at that time). */
  abstract void start();

  final void stop() {
    stopped = true;
  }

  final long now() {
    return sim.now();
  }

  /** Runs {@code step} after {@code delayNanos} of virtual time unless the process stopped. */
  final void after(long delayNanos, Runnable step) {
    sim.scheduleAfter(delayNanos, (t, arg) -> {
      if (!stopped) {
        step.run();
      }
    }, 0);
  }

  final void errno(String call, Errno e) {
    ctx.recorder().errno(tally, now(), call, e);
  }

  final void happened(String what, String text) {
    ctx.recorder().happened(tally, now(), what, text);
  }

  /** An open connection of this process; {@code closed} guards callbacks from a reused number. */
  static final class Conn {
    final int fd;
    boolean closed;
    /** The incarnation tag of this connection's bytes, 0 when untagged ({@link RunContext#tagContent}). */
    byte tag;

    Conn(int fd) {
      this.fd = fd;
    }
  }

  /** close(2), once. */
  final void close(Conn c) {
    if (!c.closed) {
      c.closed = true;
      api.close(c.fd);
    }
  }

  /**
   * socket(2) and a blocking connect(2) to the target; on success the latency is recorded and
   * {@code connected} runs; on failure the errno is recorded, the socket closed, {@code failed} run.
   */
  final void connect(RunContext.Endpoint to, java.util.function.Consumer<Conn> connected,
      Runnable failed) {
    SysResult<Integer> s = api.socket();
    if (!s.isOk()) {
      errno("socket()", s.errno());
      failed.run();
      return;
    }
    Conn c = new Conn(s.intValue());
    long started = now();
    api.connect(c.fd, to.address(), to.port(), r -> {
      if (stopped) {
        return;
      }
      if (r.isOk()) {
        ctx.recorder().connected(tally, now() - started);
        connected.accept(c);
      } else {
        errno("connect()", r.errno());
        close(c);
        failed.run();
      }
    });
  }

  /** Blocking send(2) of {@code bytes} in chunks; {@code done} gets true when all were queued. */
  final void sendAll(Conn c, long bytes, java.util.function.Consumer<Boolean> done) {
    if (bytes <= 0) {
      done.accept(true);
      return;
    }
    int n = (int) Math.min(bytes, SEND_CHUNK);
    byte[] data = content(c, n);
    api.send(c.fd, data, 0, n, r -> {
      if (stopped || c.closed) {
        return;
      }
      if (!r.isOk()) {
        errno("send()", r.errno());
        done.accept(false);
      } else if (r.intValue() < n) {
        done.accept(false); // an error ends a partial send; the next call reports it
      } else {
        sendAll(c, bytes - n, done);
      }
    });
  }

  /**
   * What {@code c} writes, at least {@code n} bytes of its incarnation's tag; null (bytes without
   * content) when its bytes are not tagged.
   */
  final byte[] content(Conn c, int n) {
    if (c.tag == 0) {
      return null;
    }
    if (tagged.length < n || taggedWith != c.tag) {
      tagged = new byte[Math.max(n, tagged.length)];
      java.util.Arrays.fill(tagged, c.tag);
      taggedWith = c.tag;
    }
    return tagged;
  }

  /** Outcome of reading an exact amount. */
  enum ReadOutcome { DONE, EOF, ERROR }

  /**
   * Blocking recv(2) until {@code bytes} were read ({@code bytes} 0: done at once), the peer's
   * FIN (EOF) or an error (recorded).
   */
  final void readExactly(Conn c, long bytes, java.util.function.Consumer<ReadOutcome> done) {
    if (bytes <= 0) {
      done.accept(ReadOutcome.DONE);
      return;
    }
    int want = (int) Math.min(bytes, scratch.length);
    api.recv(c.fd, scratch, 0, want, r -> {
      if (stopped || c.closed) {
        return;
      }
      if (!r.isOk()) {
        errno("recv()", r.errno());
        done.accept(ReadOutcome.ERROR);
      } else if (r.intValue() == 0) {
        done.accept(ReadOutcome.EOF);
      } else {
        ctx.recorder().delivered(tally, r.intValue());
        checkTag(c, scratch, r.intValue());
        readExactly(c, bytes - r.intValue(), done);
      }
    });
  }

  /** Blocking recv(2) until the end of the stream or an error; counts what is read. */
  final void readToEnd(Conn c, java.util.function.Consumer<ReadOutcome> done) {
    api.recv(c.fd, scratch, 0, scratch.length, r -> {
      if (stopped || c.closed) {
        return;
      }
      if (!r.isOk()) {
        errno("recv()", r.errno());
        done.accept(ReadOutcome.ERROR);
      } else if (r.intValue() == 0) {
        done.accept(ReadOutcome.EOF);
      } else {
        ctx.recorder().delivered(tally, r.intValue());
        checkTag(c, scratch, r.intValue());
        readToEnd(c, done);
      }
    });
  }

  /** Counts the bytes just read into {@code buf} that carry another incarnation's tag. */
  final void checkTag(Conn c, byte[] buf, int n) {
    if (c.tag == 0) {
      return;
    }
    int stale = 0;
    for (int i = 0; i < n; i++) {
      if (buf[i] != c.tag) {
        stale++;
      }
    }
    if (stale > 0) {
      ctx.recorder().staleBytes(tally, now(), stale, api.socketOf(c.fd));
    } else {
      ctx.recorder().noStaleBytes(tally); // a tagged run reports 0, not nothing
    }
  }

  /** One connect(2) to {@code server} per interval for the whole run (a client with a rate). */
  final void connectEvery(long intervalNanos, RunContext.Endpoint server,
      java.util.function.Consumer<Conn> connected) {
    every(intervalNanos, () -> {
      connect(server, connected, () -> {});
      return true;
    });
  }

  /** A timer that ticks every {@code intervalNanos} from now while {@code tick} returns true. */
  final void every(long intervalNanos, java.util.function.BooleanSupplier tick) {
    if (tick.getAsBoolean()) {
      after(intervalNanos, () -> every(intervalNanos, tick));
    }
  }
}
