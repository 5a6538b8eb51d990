package dev.downhill.examples.kit;

import java.awt.Font;

/**
 * Chart text in the chapter's language. The chapters title their figures in Chinese; Java draws
 * those glyphs only when a CJK font is installed (Debian: {@code fonts-wqy-zenhei}), reached through
 * the logical font {@code SansSerif}'s fallback. Without one every chart falls back to its English
 * title instead of boxes, and {@link #notice()} is the one line that says so.
 */
public final class Text {
  private Text() {}

  private static final boolean CJK = canDraw("梯度下降路径损失参数优化器收敛速度对比与曲面动画");

  /** The logical font every chart uses (a physical name would turn the CJK fallback off). */
  public static Font font(int style, float size) {
    return new Font(Font.SANS_SERIF, style, Math.round(size));
  }

  /** The Chinese text when an installed font can draw every character of it, else the English. */
  public static String zh(String chinese, String english) {
    return CJK && canDraw(chinese) ? chinese : english;
  }

  public static boolean cjk() {
    return CJK;
  }

  /** One line for the console when the charts fall back to English, else null. */
  public static String notice() {
    return CJK ? null
        : "No CJK font found: chart titles are in English (install one for the chapters' Chinese titles,"
            + " e.g. sudo apt-get install fonts-wqy-zenhei).";
  }

  private static boolean canDraw(String s) {
    return new Font(Font.SANS_SERIF, Font.PLAIN, 12).canDisplayUpTo(s) == -1;
  }
}
