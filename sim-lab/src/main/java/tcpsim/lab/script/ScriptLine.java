package tcpsim.lab.script;

import java.util.List;
import tcpsim.net.wire.TcpFlags;

/** One event of a script, with its place in the file and its time column. */
public sealed interface ScriptLine {
  SourcePos pos();

  Timing timing();

  /** The sentinel for "not written" in optional numeric fields. */
  long ABSENT = -1;

  /**
   * {@code < S 0:0(0) win 65535 <mss 1460>} (inbound, injected) or {@code > S. 0:0(0) ack 1 <...>}
   * (outbound, expected). {@code start}/{@code end} are unsigned 32-bit; {@code ack}, {@code window}
   * are {@link #ABSENT} when not written; {@code anyOptions} is {@code <...>}. {@code remotePort}
   * is the remote end's port of the segment's flow when written ({@code remote_port N}, tcpsim's
   * extension for a second peer connecting to the listener), else {@link #ABSENT}: the script's
   * one flow.
   */
  record PacketLine(SourcePos pos, Timing timing, boolean inbound, int flags, long start, long end,
      int length, long ack, long window, int urgentPointer, List<PacketOption> options,
      boolean anyOptions, long remotePort) implements ScriptLine {
    public PacketLine {
      options = List.copyOf(options);
    }

    /** A line of the script's one flow (no {@code remote_port}). */
    public PacketLine(SourcePos pos, Timing timing, boolean inbound, int flags, long start, long end,
        int length, long ack, long window, int urgentPointer, List<PacketOption> options,
        boolean anyOptions) {
      this(pos, timing, inbound, flags, start, end, length, ack, window, urgentPointer, options,
          anyOptions, ABSENT);
    }

    public boolean hasRemotePort() {
      return remotePort != ABSENT;
    }

    public boolean hasAck() {
      return ack != ABSENT;
    }

    public boolean hasWindow() {
      return window != ABSENT;
    }

    /** The line in packetdrill notation (without its time). */
    public String describe() {
      StringBuilder b = new StringBuilder().append(inbound ? "< " : "> ")
          .append(TcpFlags.packetdrill(flags)).append(' ')
          .append(start).append(':').append(end).append('(').append(length).append(')');
      if (hasAck()) b.append(" ack ").append(ack);
      if (urgentPointer != 0) b.append(" urg ").append(urgentPointer);
      if (hasWindow()) b.append(" win ").append(window);
      if (hasRemotePort()) b.append(" remote_port ").append(remotePort);
      if (anyOptions) {
        b.append(" <...>");
      } else if (!options.isEmpty()) {
        b.append(" <").append(String.join(",", options.stream().map(Object::toString).toList()))
            .append('>');
      }
      return b.toString();
    }
  }

  /**
   * {@code connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)}. {@code errno} is
   * null when none is written; {@code note} is the parenthesised text, or null.
   */
  record SyscallLine(SourcePos pos, Timing timing, String name, List<Expr> args, Expr result,
      String errno, String note) implements ScriptLine {
    public SyscallLine {
      args = List.copyOf(args);
    }

    public String describe() {
      return name + "(" + String.join(", ", args.stream().map(Object::toString).toList()) + ") = "
          + result + (errno == null ? "" : " " + errno);
    }
  }

  /** A back-quoted block: one or more commands, one a line. */
  record CommandLine(SourcePos pos, Timing timing, List<Command> commands) implements ScriptLine {
    public CommandLine {
      commands = List.copyOf(commands);
    }
  }

  /**
   * A {@code %{ }%} block: the assertions it holds (all must hold), or, when it holds Python
   * beyond simple assertions, {@code unsupported} naming what.
   */
  record AssertBlock(SourcePos pos, Timing timing, List<Assertion> assertions, String unsupported)
      implements ScriptLine {
    public AssertBlock {
      assertions = List.copyOf(assertions);
    }
  }

  /** A line in notation tcpsim reads but does not model (UDP, ICMP, IP fields...). */
  record UnsupportedLine(SourcePos pos, Timing timing, String feature) implements ScriptLine {}
}
