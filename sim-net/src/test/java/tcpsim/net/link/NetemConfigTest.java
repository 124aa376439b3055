package tcpsim.net.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;

/** netem's options, read from netem's own syntax and built fluently. */
class NetemConfigTest {

  private static String error(String netem) {
    return assertThrows(IllegalArgumentException.class, () -> NetemConfig.parse(netem)).getMessage();
  }

  @Test
  void parsesEveryModelledOptionFromNetemSyntax() {
    NetemConfig c = NetemConfig.parse(
        "netem delay 10ms 2ms loss random 1% duplicate 0.5% reorder 25% gap 5 corrupt 0.1%"
            + " rate 10mbit limit 100");

    assertEquals(new NetemConfig(Nanos.millis(10), Nanos.millis(2), 10_000, 5_000, 250_000, 5,
        1_000, 10_000_000L, 100), c);
  }

  @Test
  void buildingFluentlyGivesWhatParsingGivesAndPrintsAsNetemSyntax() {
    NetemConfig built = NetemConfig.NONE.withDelay(Nanos.millis(10), Nanos.micros(500))
        .withLossPpm(10_000).withRate(100_000).withLimit(50);

    assertEquals(NetemConfig.parse("delay 10ms 500us loss 1% rate 100kbit limit 50"), built);
    assertEquals("delay 10ms 500us loss 1% rate 100kbit limit 50", built.toString());
    assertEquals(built, NetemConfig.parse(built.toString()));
    assertEquals(NetemConfig.NONE, NetemConfig.parse(""));
  }

  @Test
  void percentagesBecomeWholePartsPerMillion() {
    assertEquals(1, NetemConfig.parse("loss 0.0001%").lossPpm());
    assertEquals(1_000_000, NetemConfig.parse("duplicate 100%").duplicatePpm());
    assertEquals(300_000, NetemConfig.parse("corrupt 30").corruptPpm()); // tc: '%' is optional
    assertEquals("netem: percentage '0.00001%' for 'loss' is finer than 1 ppm (0.0001%)",
        error("loss 0.00001%"));
    assertEquals("netem: percentage '101%' for 'loss' must be between 0% and 100%", error("loss 101%"));
  }

  @Test
  void timesAcceptMicroMilliAndSecondsInTcsSpellings() {
    assertEquals(Nanos.micros(250), NetemConfig.parse("delay 250us").delayNanos());
    assertEquals(Nanos.micros(1500), NetemConfig.parse("delay 1.5ms").delayNanos());
    assertEquals(Nanos.seconds(2), NetemConfig.parse("delay 2s").delayNanos());
    assertEquals(Nanos.millis(10), NetemConfig.parse("delay 10msec").delayNanos());
    assertEquals(Nanos.millis(3), NetemConfig.parse("delay 1s 3ms").jitterNanos());
  }

  @Test
  void ratesAcceptTcsUnitsAndGiveSerializationTimes() {
    assertEquals(100_000L, NetemConfig.parse("rate 100kbit").rateBitsPerSecond());
    assertEquals(10_000_000_000L, NetemConfig.parse("rate 10Gbit").rateBitsPerSecond());
    assertEquals(8_000_000L, NetemConfig.parse("rate 1mbps").rateBitsPerSecond()); // bytes/s
    assertEquals(1L << 20, NetemConfig.parse("rate 1mibit").rateBitsPerSecond());
    // 1500 bytes at 1 mbit/s: 12 ms; at 10 Gbit/s: 1.2 us.
    assertEquals(Nanos.millis(12), NetemConfig.parse("rate 1mbit").serializationNanos(1500));
    assertEquals(1_200, NetemConfig.parse("rate 10gbit").serializationNanos(1500));
  }

  @Test
  void anUnknownOptionIsNamedWithTheValidOnes() {
    assertEquals("netem: unknown option 'lose'; valid options are delay, loss (or drop), duplicate,"
        + " reorder, gap, corrupt, rate, limit", error("delay 10ms lose 1%"));
  }

  @Test
  void aBadTimeIsNamedWithTheValidUnits() {
    assertEquals("netem: bad time '10' for 'delay': write a number and a unit, one of ns, us, usec,"
        + " usecs, ms, msec, msecs, s, sec, secs", error("delay 10"));
    assertEquals("netem: bad time '10xs' for 'delay': write a number and a unit, one of ns, us, usec,"
        + " usecs, ms, msec, msecs, s, sec, secs", error("delay 10xs"));
  }

  @Test
  void aBadRateIsNamedWithTheValidUnits() {
    assertEquals("netem: bad rate '1mb': write a number and a unit, one of bit, kbit, mbit, gbit,"
        + " tbit, kibit, mibit, gibit, tibit (bits/s) or bps, kbps, mbps, gbps, tbps, kibps, mibps,"
        + " gibps, tibps (bytes/s)", error("rate 1mb"));
  }

  @Test
  void aMissingOrBadValueIsNamed() {
    assertEquals("netem: 'loss' needs a value", error("loss"));
    assertEquals("netem: bad percentage 'often' for 'duplicate': write a number and '%', e.g. 1% or"
        + " 0.5%", error("duplicate often"));
    assertEquals("netem: 'limit' needs a positive whole number, got '0'", error("limit 0"));
  }

  @Test
  void reorderWithoutADelayIsRefusedAsTcRefusesIt() {
    assertEquals("netem: 'reorder' needs a delay (tc: reordering not possible without specifying"
        + " some delay)", error("reorder 25%"));
  }

  @Test
  void whatIsNotModelledIsRefusedByNameNotIgnored() {
    assertEquals("netem: correlation '25%' after 'loss' is not modelled; every draw is independent",
        error("loss 1% 25%"));
    assertEquals("netem: correlation '25%' after 'delay' is not modelled; every draw is independent",
        error("delay 10ms 1ms 25%"));
    assertEquals("netem: 'distribution normal' is not modelled: jitter is uniform, as netem's"
        + " without a table", error("delay 10ms 1ms distribution normal"));
    assertEquals("netem: 'loss gemodel' is not modelled; only 'loss [random] P%' is",
        error("loss gemodel 1% 10%"));
  }

  @Test
  void aGapWithoutReorderIsRefusedAsTcRefusesIt() {
    assertEquals("netem: 'gap' needs 'reorder P%' (tc: gap specified without reorder probability)",
        error("delay 10ms gap 5"));
  }
}
