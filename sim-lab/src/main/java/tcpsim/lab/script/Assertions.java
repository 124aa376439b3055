package tcpsim.lab.script;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code %{ }%} block: statements separated by line ends or {@code ;}, each
 * {@code assert} followed by chained comparisons over {@code tcpi_*} fields, integers and Linux's
 * named constants ({@code TCP_CA_Recovery}, {@code TCP_ESTABLISHED}) joined by
 * {@code and}, optionally with a {@code , message} (not evaluated). Anything else (other
 * Python, arithmetic, other names) makes the block unsupported, naming the first thing not
 * understood.
 */
final class Assertions {
  private final List<Token> toks;
  private int p;

  private Assertions(List<Token> toks) {
    this.toks = toks;
  }

  private static final class NotSimple extends Exception {
    private static final long serialVersionUID = 1L;

    NotSimple(String what) {
      super(what, null, false, false);
    }
  }

  static ScriptLine.AssertBlock parse(Token block, SourcePos start, Timing timing) {
    SourcePos at = block.pos();
    List<Token> toks;
    try {
      toks = new Lexer(at.file(), block.text(), at.line(), at.column() + 2).run();
    } catch (ScriptError e) {
      return new ScriptLine.AssertBlock(start, timing, List.of(),
          "Python in %{ }% beyond simple assertions (" + e.detail() + ")");
    }
    Assertions a = new Assertions(toks);
    try {
      return new ScriptLine.AssertBlock(start, timing, a.statements(), null);
    } catch (NotSimple e) {
      return new ScriptLine.AssertBlock(start, timing, List.of(),
          "Python in %{ }% beyond simple assertions: " + e.getMessage());
    }
  }

  private List<Assertion> statements() throws NotSimple {
    List<Assertion> out = new ArrayList<>();
    while (peek().kind() != TokenKind.EOF) {
      Token t = peek();
      if (t.kind() == TokenKind.NEWLINE || t.kind() == TokenKind.SEMI) {
        p++;
        continue;
      }
      if (t.kind() != TokenKind.IDENT || !t.text().equals("assert")) {
        throw new NotSimple("'" + t.text() + "' at " + t.pos());
      }
      p++;
      out.add(chain());
      while (peek().kind() == TokenKind.IDENT && peek().text().equals("and")) {
        p++;
        out.add(chain());
      }
      if (peek().kind() == TokenKind.COMMA) {
        // Python's "assert cond, message": the message is only printed, never evaluated here.
        p++;
        while (peek().kind() != TokenKind.NEWLINE && peek().kind() != TokenKind.SEMI
            && peek().kind() != TokenKind.EOF) {
          p++;
        }
      }
      TokenKind k = peek().kind();
      if (k != TokenKind.NEWLINE && k != TokenKind.SEMI && k != TokenKind.EOF) {
        throw new NotSimple("'" + peek().text() + "' at " + peek().pos());
      }
    }
    if (out.isEmpty()) {
      throw new NotSimple("a block with no assert");
    }
    return out;
  }

  private Assertion chain() throws NotSimple {
    SourcePos pos = peek().pos();
    List<Assertion.Operand> operands = new ArrayList<>();
    List<Assertion.Op> ops = new ArrayList<>();
    operands.add(operand());
    while (true) {
      Assertion.Op op = switch (peek().kind()) {
        case EQEQ -> Assertion.Op.EQ;
        case NE -> Assertion.Op.NE;
        case LT -> Assertion.Op.LT;
        case LE -> Assertion.Op.LE;
        case GT -> Assertion.Op.GT;
        case GE -> Assertion.Op.GE;
        default -> null;
      };
      if (op == null) {
        break;
      }
      p++;
      ops.add(op);
      operands.add(operand());
    }
    if (ops.isEmpty()) {
      throw new NotSimple("'" + peek().text().strip() + "' where a comparison was expected at " + peek().pos());
    }
    return new Assertion(pos, operands, ops);
  }

  private Assertion.Operand operand() throws NotSimple {
    Token t = peek();
    boolean negative = false;
    if (t.kind() == TokenKind.MINUS) {
      p++;
      negative = true;
      t = peek();
    }
    if (t.kind() == TokenKind.NUMBER && t.text().indexOf('.') < 0) {
      p++;
      try {
        long v = t.text().startsWith("0x") || t.text().startsWith("0X")
            ? Long.parseLong(t.text().substring(2), 16) : Long.parseLong(t.text());
        return new Assertion.Operand.Int(negative ? -v : v);
      } catch (NumberFormatException e) {
        throw new NotSimple("number too large: " + t.text());
      }
    }
    if (!negative && t.kind() == TokenKind.IDENT && t.text().startsWith("tcpi_")) {
      p++;
      return new Assertion.Operand.Field(t.text());
    }
    if (!negative && t.kind() == TokenKind.IDENT && LinuxConstants.value(t.text()) != null) {
      p++; // a state or congestion state by name: TCP_CA_Recovery, TCP_ESTABLISHED
      return new Assertion.Operand.Int(LinuxConstants.value(t.text()));
    }
    throw new NotSimple("'" + t.text() + "' at " + t.pos());
  }

  private Token peek() {
    return toks.get(p);
  }
}
