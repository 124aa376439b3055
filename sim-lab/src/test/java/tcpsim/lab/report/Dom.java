package tcpsim.lab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough reading of an HTML document (the generated file, or Chromium's serialization of
 * it after the script ran) to find elements by their {@code data-kind} and read their attributes
 * and text. The report's elements are flat enough for this: a segment's group holds no group.
 */
final class Dom {
  private static final Pattern ATTR = Pattern.compile("([\\w:-]+)=\"([^\"]*)\"");

  /** One element: its tag, attributes in order, and the markup up to its closing tag. */
  record Element(String tag, Map<String, String> attrs, String inner) {
    String attr(String name) {
      return attrs.get(name);
    }

    /** The unescaped text of the first {@code <tag ...>text</tag>} inside (child tags dropped), or null. */
    String childText(String childTag, String cls) {
      Matcher m = Pattern.compile("<" + childTag + "(\\s[^>]*)?>(.*?)</" + childTag + ">", Pattern.DOTALL).matcher(inner);
      while (m.find()) {
        if (cls == null || (m.group(1) != null && m.group(1).contains("class=\"" + cls + "\""))) {
          return unescape(m.group(2).replaceAll("<[^>]*>", ""));
        }
      }
      return null;
    }

    /** Attributes of the first {@code <childTag ...>} inside. */
    Map<String, String> child(String childTag) {
      Matcher m = Pattern.compile("<" + childTag + "(\\s[^>]*)?/?>").matcher(inner);
      return m.find() ? attributes(m.group(1) == null ? "" : m.group(1)) : Map.of();
    }

    boolean has(String childTag) {
      return inner.contains("<" + childTag + " ") || inner.contains("<" + childTag + ">");
    }
  }

  private Dom() {}

  /** Every element whose start tag has {@code data-kind="kind"}, in document order. */
  static List<Element> byKind(String html, String kind) {
    List<Element> out = new ArrayList<>();
    Matcher m = Pattern.compile("<(\\w+)(\\s[^>]*data-kind=\"" + kind + "\"[^>]*)>").matcher(html);
    while (m.find()) {
      String tag = m.group(1);
      String attrText = m.group(2);
      boolean selfClosing = attrText.endsWith("/");
      int close = selfClosing ? m.end() : html.indexOf("</" + tag + ">", m.end());
      String inner = selfClosing || close < 0 ? "" : html.substring(m.end(), close);
      out.add(new Element(tag, attributes(attrText), inner));
    }
    return out;
  }

  static Map<String, String> attributes(String text) {
    Map<String, String> attrs = new LinkedHashMap<>();
    Matcher m = ATTR.matcher(text);
    while (m.find()) {
      attrs.put(m.group(1), unescape(m.group(2)));
    }
    return attrs;
  }

  static String unescape(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
  }

  static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}
