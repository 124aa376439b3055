package tcpsim.lab.script;

/** The kinds of token in packetdrill notation. */
enum TokenKind {
  NUMBER("a number"),
  IDENT("a name"),
  STRING("a string"),
  BACKQUOTE("a `command`"),
  CODE("a %{ }% block"),
  OPTION("an option --name"),
  LPAREN("'('"),
  RPAREN("')'"),
  LBRACKET("'['"),
  RBRACKET("']'"),
  LBRACE("'{'"),
  RBRACE("'}'"),
  LT("'<'"),
  GT("'>'"),
  LE("'<='"),
  GE("'>='"),
  EQEQ("'=='"),
  NE("'!='"),
  COMMA("','"),
  EQ("'='"),
  PIPE("'|'"),
  PLUS("'+'"),
  MINUS("'-'"),
  COLON("':'"),
  TILDE("'~'"),
  STAR("'*'"),
  DOT("'.'"),
  ELLIPSIS("'...'"),
  SEMI("';'"),
  NEWLINE("the end of the line"),
  EOF("the end of the file");

  final String description;

  TokenKind(String description) {
    this.description = description;
  }
}
