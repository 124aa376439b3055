package tcpsim.lab.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the lines of a back-quoted block into {@link Command}s: the vocabulary packetdrill test
 * suites use (defaults.sh, sysctl, set_sysctls.py, {@code tc qdisc ... limit 0}, {@code ss | grep}).
 * Anything else becomes {@link Command.Unsupported}, naming the command.
 */
final class Commands {
  /** ss's names for TCP states (ss(8), "STATE-FILTER"). */
  static final Set<String> SS_STATES = Set.of("established", "syn-sent", "syn-recv", "fin-wait-1",
      "fin-wait-2", "time-wait", "closed", "close-wait", "last-ack", "listening", "closing");

  private static final Pattern SS = Pattern.compile(
      "ss(?:\\s+-[a-zA-Z]+)*\\s+state\\s+([a-z0-9-]+)\\s*\\|\\s*grep\\s+-q\\s+(['\"]?):(\\d{1,5})\\2");

  private Commands() {}

  static List<Command> parse(String block) {
    List<Command> out = new ArrayList<>();
    for (String raw : block.split("\n", -1)) {
      String text = raw.strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      command(text, out);
    }
    return out;
  }

  private static void command(String text, List<Command> out) {
    List<String> words = words(text);
    if (words == null || words.isEmpty()) {
      out.add(new Command.Unsupported(text));
      return;
    }
    String program = basename(words.get(0));
    switch (program) {
      case "defaults.sh" -> out.add(new Command.Defaults(text));
      case "sysctl" -> sysctl(text, words, out);
      case "set_sysctls.py" -> setSysctls(text, words, out);
      case "tc" -> {
        int limit = words.indexOf("limit");
        boolean dropAll = words.size() > 2 && words.get(1).equals("qdisc") && limit > 0
            && limit + 1 < words.size() && words.get(limit + 1).equals("0");
        out.add(dropAll ? new Command.QueueDropsAll(text) : new Command.Unsupported(text));
      }
      case "ss" -> {
        Matcher m = SS.matcher(text);
        if (m.matches() && SS_STATES.contains(m.group(1)) && Integer.parseInt(m.group(3)) <= 0xffff) {
          out.add(new Command.SocketStateCheck(text, m.group(1), Integer.parseInt(m.group(3))));
        } else {
          out.add(new Command.Unsupported(text));
        }
      }
      default -> out.add(new Command.Unsupported(text));
    }
  }

  /** {@code sysctl -q [-w] name=value ...}. */
  private static void sysctl(String text, List<String> words, List<Command> out) {
    List<Command> sets = new ArrayList<>();
    for (String w : words.subList(1, words.size())) {
      if (w.equals("-q") || w.equals("-w")) {
        continue;
      }
      int eq = w.indexOf('=');
      if (w.startsWith("-") || eq <= 0) {
        out.add(new Command.Unsupported(text));
        return;
      }
      sets.add(new Command.SetSysctl(text, w.substring(0, eq).replace('/', '.'), w.substring(eq + 1)));
    }
    if (sets.isEmpty()) {
      out.add(new Command.Unsupported(text));
    }
    out.addAll(sets);
  }

  /** {@code set_sysctls.py /proc/sys/net/ipv4/NAME=value ...}. */
  private static void setSysctls(String text, List<String> words, List<Command> out) {
    List<Command> sets = new ArrayList<>();
    for (String w : words.subList(1, words.size())) {
      int eq = w.indexOf('=');
      if (!w.startsWith("/proc/sys/") || eq <= "/proc/sys/".length()) {
        out.add(new Command.Unsupported(text));
        return;
      }
      String name = w.substring("/proc/sys/".length(), eq).replace('/', '.');
      sets.add(new Command.SetSysctl(text, name, w.substring(eq + 1)));
    }
    if (sets.isEmpty()) {
      out.add(new Command.Unsupported(text));
    }
    out.addAll(sets);
  }

  private static String basename(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Shell words with quotes removed, or null when a quote is left open. */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      return null;
    }
    if (inWord) {
      out.add(w.toString());
    }
    return out;
  }
}
