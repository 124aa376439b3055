package tcpsim.core.check;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.event.Simulation;

/** The examples of docs/property-testing.md, kept compiling and passing here. */
class GuideExampleTest {
  // --- example 1: a property over generated values, driving a simulation ---

  @Test
  void eventsFireInDeadlineOrder() {
    Gen<Long> seeds = Gen.longs(0, Long.MAX_VALUE);
    Gen<List<Long>> deadlines = Gen.longs(0, 5_000_000_000L).list(0, 50);

    Property.forAll(Gen.pairs(seeds, deadlines))
        .named("events fire in deadline order")
        .check(p -> {
          Simulation sim = new Simulation(p.first()); // the property's seed is the only seed
          List<Long> fired = new ArrayList<>();
          for (long at : p.second()) {
            sim.schedule(at, (now, arg) -> fired.add(now), 0);
          }
          sim.run();
          for (int i = 1; i < fired.size(); i++) {
            if (fired.get(i) < fired.get(i - 1)) {
              return false;
            }
          }
          return fired.size() == p.second().size();
        });
  }

  // --- example 2: an action chain on a toy send buffer ---

  /** A toy send buffer: send() queues bytes up to a capacity, a cumulative ack releases them. */
  static final class SendBuffer {
    static final int CAPACITY = 4096;
    long sndUna; // first byte not yet acknowledged
    long sndNxt; // next byte to send

    int send(int bytes) {
      int room = CAPACITY - (int) (sndNxt - sndUna);
      int taken = Math.min(bytes, room);
      sndNxt += taken;
      return taken;
    }

    void ack(long seq) {
      if (seq > sndUna && seq <= sndNxt) { // RFC 9293 3.10.7.4: SND.UNA < SEG.ACK =< SND.NXT
        sndUna = seq;
      }
    }
  }

  @Test
  void theSendBufferNeverHoldsMoreThanItsCapacity() {
    ActionChain.from(SendBuffer::new)
        .named("send buffer")
        .action(Gen.ints(1, 3000).map(n -> Action.<SendBuffer>of("send(" + n + " bytes)", b -> b.send(n))))
        .action(Gen.ints(0, 3000).map(d -> Action.<SendBuffer>of("ack(snd_una + " + d + ")",
            b -> b.sndNxt > b.sndUna, // only when something is in flight
            b -> b.ack(b.sndUna + d))))
        .invariant("snd_una <= snd_nxt", b -> b.sndUna <= b.sndNxt)
        .invariant("in flight <= capacity", b -> b.sndNxt - b.sndUna <= SendBuffer.CAPACITY)
        .maxActions(40)
        .check();
  }
}
