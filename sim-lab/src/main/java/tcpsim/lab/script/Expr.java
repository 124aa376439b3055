package tcpsim.lab.script;

import java.util.List;

/** A system-call argument or return value as the script spells it. */
public sealed interface Expr {
  SourcePos pos();

  /** An integer: decimal, hex or negative. */
  record IntLit(SourcePos pos, long value) implements Expr {
    @Override
    public String toString() {
      return Long.toString(value);
    }
  }

  /** A symbolic constant such as {@code SOCK_STREAM} or {@code EINPROGRESS}. */
  record Sym(SourcePos pos, String name) implements Expr {
    @Override
    public String toString() {
      return name;
    }
  }

  /** {@code A|B|C}. */
  record BitOr(SourcePos pos, List<Expr> terms) implements Expr {
    public BitOr {
      terms = List.copyOf(terms);
    }

    @Override
    public String toString() {
      return String.join("|", terms.stream().map(Object::toString).toList());
    }
  }

  /** {@code NULL}. */
  record Null(SourcePos pos) implements Expr {
    @Override
    public String toString() {
      return "NULL";
    }
  }

  /** {@code ...}: the runner fills in the value (an address, a buffer, a length). */
  record Ellipsis(SourcePos pos) implements Expr {
    @Override
    public String toString() {
      return "...";
    }
  }

  /** A quoted string, as in {@code inet_addr("192.0.2.1")}. */
  record Str(SourcePos pos, String value) implements Expr {
    @Override
    public String toString() {
      return '"' + value + '"';
    }
  }

  /** {@code [v]} (an int pointer) or {@code [{...}, {...}]} (an array, e.g. of pollfd). */
  record Array(SourcePos pos, List<Expr> elements) implements Expr {
    public Array {
      elements = List.copyOf(elements);
    }

    @Override
    public String toString() {
      return "[" + String.join(", ", elements.stream().map(Object::toString).toList()) + "]";
    }
  }

  /** {@code {onoff=1, linger=0}}, {@code {fd=3, events=POLLIN}}, a msghdr, an iovec. */
  record Struct(SourcePos pos, List<Field> fields) implements Expr {
    public Struct {
      fields = List.copyOf(fields);
    }

    /** The field's value, or null when the struct has no such field. */
    public Expr get(String name) {
      for (Field f : fields) {
        if (f.name().equals(name)) {
          return f.value();
        }
      }
      return null;
    }

    @Override
    public String toString() {
      return "{" + String.join(", ", fields.stream().map(Object::toString).toList()) + "}";
    }
  }

  /**
   * One {@code name=value} of a struct; {@code count} is packetdrill's {@code msg_iov(1)=[...]}
   * element count, or null.
   */
  record Field(SourcePos pos, String name, Expr count, Expr value) {
    @Override
    public String toString() {
      return name + (count == null ? "" : "(" + count + ")") + "=" + value;
    }
  }

  /** {@code htons(8080)}, {@code inet_addr("192.0.2.1")}. */
  record Call(SourcePos pos, String name, List<Expr> args) implements Expr {
    public Call {
      args = List.copyOf(args);
    }

    @Override
    public String toString() {
      return name + "(" + String.join(", ", args.stream().map(Object::toString).toList()) + ")";
    }
  }
}
