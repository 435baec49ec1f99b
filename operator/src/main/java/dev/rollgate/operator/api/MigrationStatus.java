package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The migration Job of the latest rollout that had one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationStatus {

    /**
     * Pending: asked for, not seen yet; Running: the Job exists; then Succeeded or Failed; Abandoned:
     * the rollout was superseded while it ran (the Job is left to finish).
     */
    public enum Result {
        Pending,
        Running,
        Succeeded,
        Failed,
        Abandoned
    }

    @JsonPropertyDescription("The Job's name: <name>-migrate-<rollout key>, one per rollout, never run twice.")
    public String job;

    @JsonPropertyDescription("The image the Job runs: the rollout's target.")
    public String image;

    @JsonPropertyDescription("spec.migration.compatibility when the Job was created.")
    public Compatibility compatibility;

    @JsonPropertyDescription("Pending (asked for) | Running (the Job exists) | Succeeded | Failed | Abandoned (the "
            + "rollout was superseded while it ran; the Job is left to finish).")
    public Result result;

    @JsonPropertyDescription("Why it failed: the Job's condition and the container's termination message.")
    public String message;

    @JsonPropertyDescription("The backup Job that ran before this (Breaking) migration, when spec.backup is set.")
    public BackupStatus backup;

    @JsonPropertyDescription("When the Job was asked for (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription("When it completed or failed (RFC 3339).")
    public String finishedAt;

    public MigrationStatus() {}

    public MigrationStatus(String job, String image, Compatibility compatibility, String startedAt) {
        this.job = job;
        this.image = image;
        this.compatibility = compatibility;
        this.result = Result.Pending;
        this.startedAt = startedAt;
    }
}
