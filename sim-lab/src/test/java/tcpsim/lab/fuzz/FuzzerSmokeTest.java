package tcpsim.lab.fuzz;

import org.junit.jupiter.api.Test;

class FuzzerSmokeTest {
  @Test
  void probe() throws Exception {
    for (FuzzConfig cfg : new FuzzConfig[] {FuzzConfig.linux(), FuzzConfig.shortTimeWait()}) {
      Fuzzer f = new Fuzzer(cfg, KnownStackBugs.ALL, 40);
      Fuzzer.Campaign c = f.campaign(Long.getLong("fz.seed", 1), Integer.getInteger("fz.cases", 300), 2, 60_000_000_000L, n -> {});
      System.out.println(cfg.name() + ": " + c.casesRun() + " cases in " + c.wallNanos() / 1_000_000 + " ms");
      if (c.first() != null) {
        System.out.println(c.first().message());
      }
    }
  }
}
