package tcpsim.lab.script;

import java.util.List;

/**
 * One chained comparison of a {@code %{ assert ... }%} block, such as
 * {@code 100 <= tcpi_rto <= 300000}: {@code operands.size() == operators.size() + 1}, and it holds
 * when every adjacent pair does (Python's chaining).
 */
public record Assertion(SourcePos pos, List<Operand> operands, List<Op> operators) {
  public Assertion {
    operands = List.copyOf(operands);
    operators = List.copyOf(operators);
    if (operands.size() != operators.size() + 1 || operators.isEmpty()) {
      throw new IllegalArgumentException("a comparison needs n operators and n+1 operands, had "
          + operators.size() + " and " + operands.size());
    }
  }

  /** A {@code tcpi_*} field of the TCP_INFO snapshot, or an integer. */
  public sealed interface Operand {
    record Field(String name) implements Operand {
      @Override
      public String toString() {
        return name;
      }
    }

    record Int(long value) implements Operand {
      @Override
      public String toString() {
        return Long.toString(value);
      }
    }
  }

  public enum Op {
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    public final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public boolean holds(long a, long b) {
      return switch (this) {
        case EQ -> a == b;
        case NE -> a != b;
        case LT -> a < b;
        case LE -> a <= b;
        case GT -> a > b;
        case GE -> a >= b;
      };
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder().append(operands.get(0));
    for (int i = 0; i < operators.size(); i++) {
      b.append(' ').append(operators.get(i).symbol).append(' ').append(operands.get(i + 1));
    }
    return b.toString();
  }
}
