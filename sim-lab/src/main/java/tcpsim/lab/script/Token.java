package tcpsim.lab.script;

/**
 * One token. {@code text} is the source spelling (for blocks, the content between the delimiters);
 * {@code spaceBefore} says whether whitespace separated it from the previous token, which packet
 * flags need ({@code S.} is one flag set, {@code S .} is not).
 */
record Token(TokenKind kind, String text, SourcePos pos, boolean spaceBefore) {
  String describe() {
    return switch (kind) {
      case NEWLINE, EOF -> kind.description;
      case BACKQUOTE, CODE -> kind.description;
      default -> "'" + text + "'";
    };
  }
}
