package tcpsim.lab.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Seeds are 64-bit: decimal, or hex with 0x (unsigned, so every printed seed reads back). */
public final class SeedConverter implements ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    String v = value.trim();
    try {
      if (v.startsWith("0x") || v.startsWith("0X")) {
        return Long.parseUnsignedLong(v.substring(2), 16);
      }
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a seed: give a decimal or 0x-hex 64-bit number");
    }
  }
}
