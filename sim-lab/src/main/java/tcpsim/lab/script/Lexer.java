package tcpsim.lab.script;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits packetdrill notation into tokens. Comments ({@code //} to the end of the line and
 * {@code /* ... *&#47;}) vanish; a back-quoted shell block and a {@code %{ ... }%} block are one
 * token each, whatever they hold. Line ends are tokens, except inside (), [] and {}, so a long
 * argument list may span lines while an unknown construct can still be skipped to its line's end.
 *
 * <p>Every input ends in a token list or a {@link ScriptError} at the offending character.
 */
final class Lexer {
  private final String file;
  private final String src;
  private final int lineOffset;
  private int i;
  private int line = 1;
  private int col = 1;
  private int depth;
  private boolean space = true;
  private final List<Token> out = new ArrayList<>();

  /** Lexes {@code src} whose first character stands at line 1, column 1 of {@code file}. */
  Lexer(String file, String src) {
    this(file, src, 1, 1);
  }

  /** Lexes text embedded in a file (a %{ }% block), keeping positions true to the file. */
  Lexer(String file, String src, int startLine, int startColumn) {
    this.file = file;
    this.src = src;
    this.lineOffset = startLine - 1;
    this.col = startColumn;
  }

  static List<Token> lex(String file, String src) throws ScriptError {
    return new Lexer(file, src).run();
  }

  List<Token> run() throws ScriptError {
    while (i < src.length()) {
      char c = src.charAt(i);
      if (c == '\n') {
        if (depth == 0) {
          add(TokenKind.NEWLINE, "\n", pos());
        }
        advance();
        space = true;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        advance();
        space = true;
      } else if (c == '/' && peek(1) == '/') {
        while (i < src.length() && src.charAt(i) != '\n') {
          advance();
        }
      } else if (c == '/' && peek(1) == '*') {
        SourcePos start = pos();
        advance();
        advance();
        while (!(peek(0) == '*' && peek(1) == '/')) {
          if (i >= src.length()) {
            throw new ScriptError(start, "unterminated /* comment: expected */");
          }
          advance();
        }
        advance();
        advance();
        space = true;
      } else {
        token(c);
      }
    }
    if (depth == 0) {
      add(TokenKind.NEWLINE, "\n", pos());
    }
    add(TokenKind.EOF, "", pos());
    return out;
  }

  private void token(char c) throws ScriptError {
    SourcePos p = pos();
    if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
      number(p);
    } else if (isIdentStart(c)) {
      int s = i;
      while (i < src.length() && isIdentPart(src.charAt(i))) {
        advance();
      }
      add(TokenKind.IDENT, src.substring(s, i), p);
    } else if (c == '-' && peek(1) == '-' && isIdentStart(peek(2))) {
      advance();
      advance();
      int s = i;
      while (i < src.length() && (isIdentPart(src.charAt(i)) || src.charAt(i) == '-')) {
        advance();
      }
      add(TokenKind.OPTION, src.substring(s, i), p);
    } else if (c == '`') {
      add(TokenKind.BACKQUOTE, delimited(p, "`", "`", "unterminated `command`: expected a closing `"), p);
    } else if (c == '%' && peek(1) == '{') {
      add(TokenKind.CODE, delimited(p, "%{", "}%", "unterminated %{ block: expected }%"), p);
    } else if (c == '"' || c == '\'') {
      string(p, c);
    } else if (c == '.' && peek(1) == '.' && peek(2) == '.') {
      advance();
      advance();
      advance();
      add(TokenKind.ELLIPSIS, "...", p);
    } else {
      punctuation(c, p);
    }
  }

  private void punctuation(char c, SourcePos p) throws ScriptError {
    String two = i + 1 < src.length() ? src.substring(i, i + 2) : "";
    TokenKind pair = switch (two) {
      case "<=" -> TokenKind.LE;
      case ">=" -> TokenKind.GE;
      case "==" -> TokenKind.EQEQ;
      case "!=" -> TokenKind.NE;
      default -> null;
    };
    if (pair != null) {
      advance();
      advance();
      add(pair, two, p);
      return;
    }
    TokenKind k = switch (c) {
      case '(' -> TokenKind.LPAREN;
      case ')' -> TokenKind.RPAREN;
      case '[' -> TokenKind.LBRACKET;
      case ']' -> TokenKind.RBRACKET;
      case '{' -> TokenKind.LBRACE;
      case '}' -> TokenKind.RBRACE;
      case '<' -> TokenKind.LT;
      case '>' -> TokenKind.GT;
      case ',' -> TokenKind.COMMA;
      case '=' -> TokenKind.EQ;
      case '|' -> TokenKind.PIPE;
      case '+' -> TokenKind.PLUS;
      case '-' -> TokenKind.MINUS;
      case ':' -> TokenKind.COLON;
      case '~' -> TokenKind.TILDE;
      case '*' -> TokenKind.STAR;
      case '.' -> TokenKind.DOT;
      case ';' -> TokenKind.SEMI;
      default -> null;
    };
    if (k == null) {
      throw new ScriptError(p, "unexpected character " + printable(c));
    }
    switch (k) {
      case LPAREN, LBRACKET, LBRACE -> depth++;
      case RPAREN, RBRACKET, RBRACE -> depth = Math.max(0, depth - 1);
      default -> { }
    }
    advance();
    add(k, String.valueOf(c), p);
  }

  private void number(SourcePos p) {
    int s = i;
    if (peek(0) == '0' && (peek(1) == 'x' || peek(1) == 'X') && isHex(peek(2))) {
      advance();
      advance();
      while (isHex(peek(0))) {
        advance();
      }
    } else {
      while (isDigit(peek(0))) {
        advance();
      }
      // A '.' belongs to the number only when a digit follows: "0...1" is 0, '...', 1.
      if (peek(0) == '.' && isDigit(peek(1))) {
        advance();
        while (isDigit(peek(0))) {
          advance();
        }
      }
    }
    add(TokenKind.NUMBER, src.substring(s, i), p);
  }

  private void string(SourcePos p, char quote) throws ScriptError {
    advance();
    int s = i;
    while (peek(0) != quote) {
      if (i >= src.length() || peek(0) == '\n') {
        throw new ScriptError(p, "unterminated string: expected a closing " + quote);
      }
      advance();
    }
    String text = src.substring(s, i);
    advance();
    add(TokenKind.STRING, text, p);
  }

  private String delimited(SourcePos p, String open, String close, String error) throws ScriptError {
    for (int k = 0; k < open.length(); k++) {
      advance();
    }
    int s = i;
    int end = src.indexOf(close, i);
    if (end < 0) {
      throw new ScriptError(p, error);
    }
    while (i < end) {
      advance();
    }
    for (int k = 0; k < close.length(); k++) {
      advance();
    }
    return src.substring(s, end);
  }

  private void add(TokenKind k, String text, SourcePos p) {
    out.add(new Token(k, text, p, space));
    space = false;
  }

  private SourcePos pos() {
    return new SourcePos(file, line + lineOffset, col);
  }

  private void advance() {
    if (src.charAt(i) == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
    i++;
  }

  private char peek(int ahead) {
    int k = i + ahead;
    return k < src.length() ? src.charAt(k) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || isDigit(c);
  }

  private static String printable(char c) {
    if (c >= 0x21 && c < 0x7f) {
      return "'" + c + "'";
    }
    return String.format("U+%04X", (int) c);
  }
}
