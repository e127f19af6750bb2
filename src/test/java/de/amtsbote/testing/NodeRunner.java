package de.amtsbote.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an npm script of a Node project in the repository, installing its packages first if needed. */
public final class NodeRunner {
    private NodeRunner() {}

    public static int run(Path projectDir, String logName, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        if (!Files.isDirectory(projectDir.resolve("node_modules"))) {
            int rc = exec(projectDir, logName + "-install", Map.of(), "npm", "ci", "--no-audit", "--no-fund");
            if (rc != 0) throw new IllegalStateException("npm ci failed in " + projectDir + " (is Node.js 20+ installed?)");
        }
        return exec(projectDir, logName, env, command);
    }

    private static int exec(Path dir, String logName, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + String.join(" ", command)
                    + ": Node.js 20+ with npm must be installed for this test", e);
        }
        Path log = Path.of("target", logName + ".log");
        Files.createDirectories(log.getParent());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.out.println("[" + logName + "] " + line);
                w.println(line);
            }
        }
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
