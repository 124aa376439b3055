package tcpsim.lab.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tcpsim} command. Subcommands do the work; this class only wires them. */
@Command(
    name = "tcpsim",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A kernel-faithful TCP simulator on virtual time.",
    subcommands = {DemoCommand.class, RunCommand.class, SweepCommand.class, PktCommand.class,
        ExperimentCheckCommand.class, FuzzCommand.class, ExploreCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line and returns the exit code; used by tests without exiting the JVM. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    // Bad options give a one-line error and the usage, never a stack trace.
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("tcpsim: " + ex.getMessage());
      ex.getCommandLine().usage(err);
      return 2;
    });
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version comes from the jar's manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"tcpsim " + (v == null ? "dev" : v), "Java " + System.getProperty("java.version")};
    }
  }
}
