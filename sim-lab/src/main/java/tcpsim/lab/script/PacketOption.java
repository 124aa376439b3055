package tcpsim.lab.script;

/** One TCP option of a packet line, in the order written. */
public sealed interface PacketOption {
  record Nop() implements PacketOption {
    @Override
    public String toString() {
      return "nop";
    }
  }

  record Eol() implements PacketOption {
    @Override
    public String toString() {
      return "eol";
    }
  }

  record Mss(int value) implements PacketOption {
    @Override
    public String toString() {
      return "mss " + value;
    }
  }

  record WindowScale(int shift) implements PacketOption {
    @Override
    public String toString() {
      return "wscale " + shift;
    }
  }

  record SackPermitted() implements PacketOption {
    @Override
    public String toString() {
      return "sackOK";
    }
  }

  /** SACK blocks as (start, end) pairs of unsigned 32-bit numbers in a long[]. */
  record Sack(long[] blocks) implements PacketOption {
    public Sack {
      blocks = blocks.clone();
    }

    public int count() {
      return blocks.length / 2;
    }

    public long start(int i) {
      return blocks[2 * i];
    }

    public long end(int i) {
      return blocks[2 * i + 1];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Sack s && java.util.Arrays.equals(blocks, s.blocks);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(blocks);
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("sack");
      for (int i = 0; i < count(); i++) {
        b.append(' ').append(start(i)).append(':').append(end(i));
      }
      return b.toString();
    }
  }

  record Timestamp(long val, long ecr) implements PacketOption {
    @Override
    public String toString() {
      return "TS val " + val + " ecr " + ecr;
    }
  }
}
