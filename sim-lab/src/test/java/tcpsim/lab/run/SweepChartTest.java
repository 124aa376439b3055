package tcpsim.lab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep chart's dots are sweep.csv's numbers, grouped by parameter and series, seeds aggregated. */
class SweepChartTest {
  static final List<String> AXES = List.of("apps.churn.rate", "hosts.client.sysctls.net.ipv4.tcp_tw_reuse");
  static final String CSV = """
      point,seed,apps.churn.rate,hosts.client.sysctls.net.ipv4.tcp_tw_reuse,churn:connect():EADDRNOTAVAIL,client:TIME_WAIT
      "rate=5-per-s,tcp_tw_reuse=0,seed=1",1,5/s,0,0,300
      "rate=5-per-s,tcp_tw_reuse=0,seed=2",2,5/s,0,0,300
      "rate=5-per-s,tcp_tw_reuse=1,seed=1",1,5/s,1,0,200
      "rate=5-per-s,tcp_tw_reuse=1,seed=2",2,5/s,1,0,201
      "rate=50-per-s,tcp_tw_reuse=0,seed=1",1,50/s,0,4000,1000
      "rate=50-per-s,tcp_tw_reuse=0,seed=2",2,50/s,0,4001,1000
      "rate=50-per-s,tcp_tw_reuse=1,seed=1",1,50/s,1,0,498
      "rate=50-per-s,tcp_tw_reuse=1,seed=2",2,50/s,1,0,499
      """;

  @Test
  void eachDotIsOneRateAndOneTwReuseWithItsSeedsMinMedianAndMax() {
    SweepChart c = SweepChart.fromCsv("t", CSV, AXES, null);
    assertEquals("churn:connect():EADDRNOTAVAIL", c.metric(), "an errno count that varies wins");
    assertEquals(List.of(
        new SweepChart.Point("5/s", "0", 0, "0", 0, 2),
        new SweepChart.Point("50/s", "0", 4000, "4000.5", 4001, 2),
        new SweepChart.Point("5/s", "1", 0, "0", 0, 2),
        new SweepChart.Point("50/s", "1", 0, "0", 0, 2)), c.points());
    String svg = c.svg();
    assertTrue(svg.contains("data-x=\"50/s\" data-series=\"0\" data-min=\"4000\" data-median=\"4000.5\""
        + " data-max=\"4001\" data-n=\"2\""), svg);
    assertTrue(svg.contains("tcp_tw_reuse = 1"), "the legend names the series: " + svg);
    assertEquals(svg, SweepChart.fromCsv("t", CSV, AXES, null).svg(), "same CSV, same bytes");
  }

  @Test
  void aNamedMetricIsChartedAndAnUnknownOneListsTheColumns() {
    assertEquals("200.5", SweepChart.fromCsv("t", CSV, AXES, "client:TIME_WAIT").points().get(2).median());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SweepChart.fromCsv("t", CSV, AXES, "client:CLOSE_WAIT"));
    assertEquals("--metric: no column 'client:CLOSE_WAIT' in sweep.csv; there are:"
        + " churn:connect():EADDRNOTAVAIL, client:TIME_WAIT", e.getMessage());
  }

  @Test
  void theTopOfTheScaleIsOneTwoOrFiveTimesAPowerOfTen() {
    assertEquals(1, SweepChart.niceTop(0));
    assertEquals(5000, SweepChart.niceTop(4001));
    assertEquals(10, SweepChart.niceTop(10));
    assertEquals(20, SweepChart.niceTop(11));
  }

  @Test
  void aMetricThatIsZeroEverywhereIsLabelledZeroAndOneNotFiveZeros() {
    String csv = """
        point,seed,apps.churn.rate,hosts.client.sysctls.net.ipv4.tcp_tw_reuse,churn:stale_bytes_accepted
        "rate=5-per-s,tcp_tw_reuse=0,seed=1",1,5/s,0,0
        "rate=50-per-s,tcp_tw_reuse=0,seed=1",1,50/s,0,0
        """;
    String svg = SweepChart.fromCsv("t", csv, AXES, null).svg();
    List<String> labels = new java.util.ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("text-anchor=\"end\">([^<]*)</text>").matcher(svg);
    while (m.find()) {
      labels.add(m.group(1));
    }
    assertEquals(List.of("0", "1"), labels, svg);
  }
}
