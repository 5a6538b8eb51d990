package dev.downhill.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published POM is usable from a user's own build: installs the engine (its jar from
 * target/classes, its POM and the parent POM, as {@code mvn install} would) into a private local
 * repository, then runs {@code mvn -o test} on the consumer project in {@code src/test/consumer}
 * (a function of the user's own, a jqwik gradient property over {@code TensorArbitraries}, a
 * safetensors round trip). Offline and without touching the shared repository's
 * {@code dev/downhill}: every other folder of the repository this build uses is linked in, so the
 * plugins and libraries resolve from what {@code ./mvnw test} already downloaded. A missing compile
 * or runtime dependency of the engine fails the consumer's build, and so this test.
 */
class ConsumerProjectTest {
  @TempDir Path tmp;

  @Test
  void aSeparateProjectBuildsAndTestsAgainstTheInstalledEngine() throws Exception {
    String repoProp = System.getProperty("downhill.localRepository");
    String version = System.getProperty("downhill.version");
    Assumptions.assumeTrue(repoProp != null && version != null, "run through Maven (surefire passes the local repository)");
    Path m2 = Path.of(repoProp);
    Path mvn = findOnPath("mvn");
    Assumptions.assumeTrue(mvn != null, "needs mvn on PATH");
    Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"), "links the repository with symlinks");

    Path repo = tmp.resolve("repo");
    linkRepository(m2, repo);
    Path engine = repo.resolve("dev/downhill/downhill-engine/" + version);
    Path parent = repo.resolve("dev/downhill/downhill-parent/" + version);
    Files.createDirectories(engine);
    Files.createDirectories(parent);
    jar(Path.of("target/classes"), engine.resolve("downhill-engine-" + version + ".jar"));
    Files.copy(Path.of("pom.xml"), engine.resolve("downhill-engine-" + version + ".pom"));
    Files.copy(Path.of("../pom.xml"), parent.resolve("downhill-parent-" + version + ".pom"));

    Path project = tmp.resolve("my-gradients");
    copyTree(Path.of("src/test/consumer"), project);
    Path pom = project.resolve("pom.xml");
    Files.writeString(pom, Files.readString(pom).replace("@DOWNHILL_VERSION@", version));

    List<String> cmd = List.of(mvn.toString(), "-o", "-B", "-q", "-Dmaven.repo.local=" + repo, "test");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("MAVEN_OPTS");
    Path log = tmp.resolve("mvn.log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    boolean finished = p.waitFor(240, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(finished, "mvn did not finish in 240 s:\n" + out);
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
    Path reports = project.resolve("target/surefire-reports");
    try (Stream<Path> files = Files.list(reports)) {
      String xml = Files.readString(files.filter(f -> f.toString().endsWith(".xml")).findFirst().orElseThrow());
      assertTrue(xml.contains("tests=\"2\"") && xml.contains("failures=\"0\"") && xml.contains("errors=\"0\""), xml);
    }
  }

  static Path findOnPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path c = Path.of(d, name);
      if (Files.isExecutable(c)) {
        return c;
      }
    }
    return null;
  }

  /** {@code repo} links every folder of {@code m2} but {@code dev/downhill}, which it gets fresh. */
  static void linkRepository(Path m2, Path repo) throws IOException {
    Files.createDirectories(repo.resolve("dev/downhill"));
    try (Stream<Path> top = Files.list(m2)) {
      for (Path t : top.toList()) {
        if (!t.getFileName().toString().equals("dev")) {
          Files.createSymbolicLink(repo.resolve(t.getFileName().toString()), t);
        }
      }
    }
    if (Files.isDirectory(m2.resolve("dev"))) {
      try (Stream<Path> dev = Files.list(m2.resolve("dev"))) {
        for (Path t : dev.toList()) {
          if (!t.getFileName().toString().equals("downhill")) {
            Files.createSymbolicLink(repo.resolve("dev").resolve(t.getFileName().toString()), t);
          }
        }
      }
    }
  }

  static void jar(Path classes, Path jar) throws IOException {
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(classes)) {
      walk.filter(Files::isRegularFile).sorted().forEach(files::add);
    }
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, mf)) {
      for (Path f : files) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path f : walk.toList()) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else {
          Files.copy(f, t);
        }
      }
    }
  }
}
