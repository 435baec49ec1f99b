package dev.rollgate.e2e.realnode;

import dev.rollgate.testkit.Kubectl;
import java.util.List;

/**
 * clinic's PostgreSQL, asked with {@code psql} inside its own pod ({@code kubectl exec}: the API
 * server to the real kubelet to containerd), with the credentials the pod has from the Secret.
 */
final class ClinicDatabase {
    private final Kubectl kubectl;
    private final String namespace;
    private final String pod;

    ClinicDatabase(Kubectl kubectl, String namespace, String pod) {
        this.kubectl = kubectl;
        this.namespace = namespace;
        this.pod = pod;
    }

    /** The rows of a query, each as {@code col|col|...} (psql -tA). */
    List<String> query(String sql) {
        Kubectl.Result result = kubectl.run(
                "exec",
                "-n",
                namespace,
                pod,
                "-c",
                "postgres",
                "--",
                "sh",
                "-c",
                "PGPASSWORD=\"$POSTGRES_PASSWORD\" psql -h 127.0.0.1 -U \"$POSTGRES_USER\" -d \"$POSTGRES_DB\" -v ON_ERROR_STOP=1 -tAc \"$0\"",
                sql);
        if (!result.succeeded()) {
            throw new AssertionError("psql failed: " + result);
        }
        return result.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    /** The schema as a list of {@code table|column|type|nullable} plus the applied Flyway versions. */
    List<String> schema() {
        List<String> columns = query("SELECT table_name || '|' || column_name || '|' || data_type || '|' || is_nullable"
                + " FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name");
        List<String> constraints = query("SELECT conrelid::regclass || '|' || conname || '|' || contype::text"
                + " FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1");
        List<String> migrations = query("SELECT 'flyway|' || version || '|' || success FROM flyway_schema_history"
                + " ORDER BY installed_rank");
        return java.util.stream.Stream.of(columns, constraints, migrations)
                .flatMap(List::stream)
                .toList();
    }

    /** {@code [rows, distinct e-mails]} of the patients whose e-mail starts with the prefix. */
    long[] patientsWithEmailPrefix(String prefix) {
        String row = query("SELECT count(*) || '|' || count(DISTINCT email) FROM patients WHERE email LIKE '" + prefix
                        + "%'")
                .get(0);
        String[] parts = row.split("\\|");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }
}
