package dev.downhill.examples.kit;

import java.nio.file.Path;

/**
 * One demo of a chapter: a function of its output folder that returns what it printed and drew, so
 * the launcher, the gallery and the tests all run it the same way. It writes its pictures into the
 * folder (which exists) and prints only through the {@link Out} it returns.
 */
@FunctionalInterface
public interface Demo {
  Out run(Path dir) throws Exception;
}
