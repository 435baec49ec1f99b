package dev.rollgate.operator.it;

import dev.rollgate.testkit.OperatorProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What {@link ScaleBench} reads off a running operator process and this machine: memory through
 * {@code jcmd} and {@code /proc}, and samples of the operator's Prometheus metrics.
 */
final class OperatorMeasurements {
    private OperatorMeasurements() {}

    /** RSS of the process and its heap after a full GC, as jcmd reports it. */
    static String memory(long pid) throws Exception {
        jcmd(pid, "GC.run");
        if (System.getProperty("rollgate.operator.jvmOptions", "").contains("NativeMemoryTracking")) {
            System.err.println(
                    "[scale-bench] native memory of the operator:\n" + jcmd(pid, "VM.native_memory summary"));
        }
        String heap = jcmd(pid, "GC.heap_info");
        long usedKb = 0;
        long committedKb = 0;
        for (String line : heap.lines().toList()) {
            var m = java.util.regex.Pattern.compile("total (\\d+)K, used (\\d+)K")
                    .matcher(line);
            if (m.find()) {
                committedKb += Long.parseLong(m.group(1));
                usedKb += Long.parseLong(m.group(2));
            }
        }
        long rssKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rssKb = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return String.format(
                Locale.ROOT,
                "operator RSS %d MiB, heap after GC %d MiB (of %d MiB committed)",
                rssKb / 1024,
                usedKb / 1024,
                committedKb / 1024);
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    /** The value of the first sample line starting with {@code prefix} (a name, or a name and its first labels). */
    static double metric(OperatorProcess op, String prefix) throws Exception {
        for (String line : op.get("/q/metrics").lines().toList()) {
            if (line.startsWith(prefix + " ")
                    || prefix.contains("{") && line.startsWith(prefix)
                    || line.startsWith(prefix + "{")) {
                return Double.parseDouble(
                        line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        throw new IllegalStateException("no metric " + prefix + " at /q/metrics");
    }

    /** This machine's memory, for the report's header. */
    static long totalMemoryMiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return 0;
    }
}
