package dev.rollgate.operator.rollout;

/**
 * A Job the reconciler must make exist: created when absent, never re-created once the decider
 * has seen it (the status remembers), so one rollout runs its migration (or backup) once.
 *
 * @param kind which Job: the rollout's migration, the backup before it, or a restore
 * @param name the Job's name, unique per rollout (or per restore)
 * @param image the image the migration runs (the backup and restore run spec.backup.image)
 * @param backupId the backup a backup Job writes or a restore Job reads; null for a migration
 */
public record JobRun(Kind kind, String name, String image, String backupId) {
    public enum Kind {
        MIGRATION,
        BACKUP,
        RESTORE
    }

    public static JobRun migration(String name, String image) {
        return new JobRun(Kind.MIGRATION, name, image, null);
    }
}
