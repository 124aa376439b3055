package tcpsim.lab.script;

import java.util.function.Function;

/**
 * The integer a syscall argument stands for, as both backends read it: a number, a symbolic
 * constant, {@code A|B}, a one-element {@code [v]}, or {@code htons(v)}. Each backend brings its
 * own table of constants (the simulator's lists what it models, so an unknown name is reported
 * unsupported; the kernel's lists what the helper can pass) and the forms it reads beyond these
 * through {@code extra}, consulted first at every level (null: left to the common rules).
 */
public final class ScriptIntegers {
  private ScriptIntegers() {}

  /** An argument that is not an integer to this backend; the message names it. */
  public static final class NotAnInteger extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotAnInteger(String what) {
      super(what, null, false, false);
    }
  }

  public static long value(Expr e, Function<String, Long> constants,
      Function<Expr, Long> extra) {
    Long special = extra.apply(e);
    if (special != null) {
      return special;
    }
    if (e instanceof Expr.IntLit i) {
      return i.value();
    }
    if (e instanceof Expr.Sym s) {
      Long v = constants.apply(s.name());
      if (v == null) {
        throw new NotAnInteger("the constant " + s.name());
      }
      return v;
    }
    if (e instanceof Expr.BitOr or) {
      long v = 0;
      for (Expr t : or.terms()) {
        v |= value(t, constants, extra);
      }
      return v;
    }
    if (e instanceof Expr.Array arr && arr.elements().size() == 1) {
      return value(arr.elements().get(0), constants, extra);
    }
    if (e instanceof Expr.Call c && c.name().equals("htons") && c.args().size() == 1) {
      return value(c.args().get(0), constants, extra);
    }
    throw new NotAnInteger("the argument " + e);
  }
}
