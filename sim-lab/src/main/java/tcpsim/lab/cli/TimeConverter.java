package tcpsim.lab.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A virtual time as experiment files write it: a whole number with ns, us, ms, s or min. */
public final class TimeConverter implements ITypeConverter<Long> {
  private static final Pattern TIME = Pattern.compile("([0-9]{1,12})(ns|us|ms|s|min)");

  @Override
  public Long convert(String value) {
    Matcher m = TIME.matcher(value.trim());
    if (!m.matches()) {
      throw new TypeConversionException("'" + value + "' is not a time: give a whole number with"
          + " ns, us, ms, s or min (e.g. 500ms, 12s)");
    }
    long n = Long.parseLong(m.group(1));
    long unit = switch (m.group(2)) {
      case "ns" -> 1L;
      case "us" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      default -> 60_000_000_000L;
    };
    return Math.multiplyExact(n, unit);
  }
}
