package tcpsim.lab.script;

import java.util.List;

/** A parsed script: its file name, header options and events in order. */
public record Script(String file, ScriptOptions options, List<ScriptLine> lines) {
  public Script {
    lines = List.copyOf(lines);
  }
}
