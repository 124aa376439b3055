package tcpsim.lab.script;

import java.util.List;

/**
 * The header options of a script ({@code --name=value} lines), with packetdrill's defaults.
 *
 * @param toleranceUsecs an outbound packet may be this early or late (default 4000)
 * @param tolerancePpm or this share of the scripted gap from the previous event, in parts per
 *     million, whichever is larger (default 125000: 12.5%)
 * @param tsTickUsecs the local timestamp clock tick; 0 (the default) means outbound TS val is not
 *     checked
 * @param mss the MSS the script assumes (default 1460, IPv4 over a 1500-byte MTU)
 * @param strictSegments one expected line is met by exactly one segment
 * @param unsupported options packetdrill knows but tcpsim does not model, by name
 */
public record ScriptOptions(long toleranceUsecs, long tolerancePpm, long tsTickUsecs, int mss,
    boolean strictSegments, List<String> unsupported) {
  public static final ScriptOptions DEFAULTS = new ScriptOptions(4000, 125_000, 0, 1460, false, List.of());

  public ScriptOptions {
    unsupported = List.copyOf(unsupported);
  }
}
