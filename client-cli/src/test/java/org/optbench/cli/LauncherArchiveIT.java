package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class data archive, run as a user runs it ({@code ./optbench} on the packaged
 * jar): a dump whose JVM died before writing its header is not adopted; the first study after a
 * build leaves a dump of the classes it loaded beside the jar, the next command adopts it as the
 * archive and maps it ({@code -Xshare:on} fails where it cannot), an archive older than the jar is
 * removed, and stdout carries only the command's output.
 */
class LauncherArchiveIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = ROOT.resolve("client-cli/target/optbench.jar");
    private static final Path ARCHIVE = ROOT.resolve("client-cli/target/optbench.jsa");

    private record Run(int code, String out, String err) {
    }

    private static Run launch(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(ROOT.resolve("optbench").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().remove("OPTBENCH_JAVA_OPTS");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the launcher ends: " + cmd);
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private static List<Path> dumps() throws IOException {
        try (Stream<Path> files = Files.list(ARCHIVE.getParent())) {
            return files.filter(f -> f.getFileName().toString().matches("optbench\\.jsa\\.[0-9]+\\.[0-9]+")).toList();
        }
    }

    @Test
    void theFirstStudyArchivesItsClassesAndLaterCommandsMapThem(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "the packaged jar " + JAR);
        assumeTrue(Files.isRegularFile(Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa")),
                "this JDK has no base class archive, on which an application archive is built");
        Files.deleteIfExists(ARCHIVE);
        for (Path dump : dumps()) {
            Files.delete(dump);
        }
        Path partial = ARCHIVE.resolveSibling("optbench.jsa." + Files.getLastModifiedTime(JAR).toMillis() / 1000 + ".999999999");
        Files.write(partial, new byte[4096]);
        Run version = launch(dir, Map.of(), "--version");
        assertEquals(0, version.code(), version.err());
        assertFalse(Files.exists(ARCHIVE), "a dump without its header (its JVM died while writing it) is not adopted");
        assertFalse(Files.exists(partial), "and it is removed");

        Files.writeString(dir.resolve("tiny.yaml"), """
                name: tiny
                model: {preset: S0}
                data: synthetic
                steps: 2
                batch: 2
                seeds: [0]
                parallel: 1
                train: {eval_tokens: 256, eval_points: 1}
                parameters:
                  optimizer:
                    adamw: {lr: {values: [1e-3]}}
                """);
        Run study = launch(dir, Map.of(), "study", "tiny.yaml", "--runs-dir", dir.resolve("runs").toString());
        assertEquals(0, study.code(), study.err());
        assertFalse(study.out().contains("[warning]"), "JVM warnings stay off stdout: " + study.out());
        assertEquals(1, dumps().size(), "the study's JVM dumped its classes at exit: " + dumps());
        assertFalse(Files.exists(ARCHIVE), "a dump is adopted by the next launch, not by its own");

        Run mapped = launch(dir, Map.of("OPTBENCH_JAVA_OPTS", "-Xshare:on"), "--version");
        assertEquals(0, mapped.code(), "-Xshare:on maps the adopted archive or fails: " + mapped.err());
        assertTrue(mapped.out().startsWith("optbench "), mapped.out());
        assertEquals(1, mapped.out().lines().count(), "stdout is the version alone: " + mapped.out());
        assertTrue(Files.isRegularFile(ARCHIVE), "the dump became the archive");
        assertTrue(dumps().isEmpty(), "no dump is left: " + dumps());

        Files.setLastModifiedTime(JAR, FileTime.fromMillis(Files.getLastModifiedTime(ARCHIVE).toMillis() + 2_000));
        Run stale = launch(dir, Map.of(), "--version");
        assertEquals(0, stale.code(), stale.err());
        assertFalse(Files.exists(ARCHIVE), "an archive older than the jar is removed");
        assertTrue(dumps().isEmpty(), "--version dumps nothing");
    }
}
