package dev.downhill.examples.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code index.html} in the output folder: one self-contained page (inline style, no script, no
 * network) with every demo's title, chapter section, run time, printed output and pictures, the
 * pictures referenced by their names relative to the page.
 */
public final class Gallery {
  private Gallery() {}

  /** One demo's run: its {@link Out} is null when it failed, and {@code error} says why. */
  public record Entry(String id, String title, String section, double seconds, Out out, String error) {}

  /** Writes DIR/index.html; {@code note} (may be null) is one line under the heading. */
  public static Path write(Path dir, String heading, String note, List<Entry> entries) throws IOException {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>").append(esc(heading)).append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}\n")
        .append("h1{font-size:1.6em}h2{font-size:1.25em;margin:0}section{border-top:1px solid #ccc;padding:1.2em 0}\n")
        .append(".meta{color:#666;font-size:.9em;margin:.2em 0 .8em}code{background:#f3f3f3;padding:0 .25em}\n")
        .append("pre{white-space:pre-wrap;background:#f7f7f7;border:1px solid #e2e2e2;padding:.7em;overflow-x:auto;font-size:.85em}\n")
        .append("img{max-width:100%;height:auto;border:1px solid #eee;margin:.3em 0;display:block}\n")
        .append(".error{color:#b00020}nav a{margin-right:.8em;white-space:nowrap}\n</style>\n</head>\n<body>\n")
        .append("<h1>").append(esc(heading)).append("</h1>\n");
    if (note != null) {
      h.append("<p class=\"meta\">").append(esc(note)).append("</p>\n");
    }
    h.append("<nav>");
    for (Entry e : entries) {
      h.append("<a href=\"#").append(esc(e.id())).append("\">").append(esc(e.id())).append("</a>");
    }
    h.append("</nav>\n");
    for (Entry e : entries) {
      h.append("<section id=\"").append(esc(e.id())).append("\">\n<h2>").append(esc(e.title())).append("</h2>\n")
          .append("<p class=\"meta\"><code>").append(esc(e.id())).append("</code> · ").append(esc(e.section()))
          .append(" · ").append(String.format(java.util.Locale.ROOT, "%.2f s", e.seconds())).append("</p>\n");
      if (e.out() == null) {
        h.append("<pre class=\"error\">").append(esc(e.error())).append("</pre>\n");
      } else {
        h.append("<pre>").append(esc(e.out().text())).append("</pre>\n");
        for (Path p : e.out().pictures()) {
          String rel = dir.toAbsolutePath().relativize(p.toAbsolutePath()).toString().replace('\\', '/');
          h.append("<img src=\"").append(esc(rel)).append("\" alt=\"").append(esc(e.id() + ": " + rel))
              .append("\">\n");
        }
      }
      h.append("</section>\n");
    }
    h.append("</body>\n</html>\n");
    Path file = dir.resolve("index.html");
    Files.writeString(file, h, StandardCharsets.UTF_8);
    return file;
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
