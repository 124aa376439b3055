package tcpsim.lab.script;

/** A place in a script: file name as given, 1-based line and column. */
public record SourcePos(String file, int line, int column) {
  public SourcePos {
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based, were " + line + ":" + column);
    }
  }

  /** {@code file:line:col}, the form compilers and editors understand. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
