package tcpsim.lab.report;

/** Escaping for text and attribute values in the generated HTML and SVG. */
final class Html {
  private Html() {}

  /**
   * Escapes {@code s} for use as element text or a double-quoted attribute value. Control
   * characters other than tab (which HTML and XML cannot carry) become U+FFFD.
   */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    escapeTo(b, s);
    return b.toString();
  }

  static void escapeTo(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if ((c < 0x20 && c != '\t') || c == 0x7f) {
            b.append('\uFFFD');
          } else {
            b.append(c);
          }
        }
      }
    }
  }
}
