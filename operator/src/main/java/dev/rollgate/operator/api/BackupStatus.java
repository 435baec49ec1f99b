package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A backup Job, or a restore Job, as status remembers it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupStatus {

    @JsonPropertyDescription("The backup's name ($ROLLGATE_BACKUP_ID), which is also its backup Job's name; the "
            + "rollgate.dev/restore annotation names it.")
    public String id;

    @JsonPropertyDescription("The Job: the backup Job, or for a restore <name>-restore-<key>.")
    public String job;

    @JsonPropertyDescription("Pending (asked for) | Running (the Job exists) | Succeeded | Failed.")
    public MigrationStatus.Result result;

    @JsonPropertyDescription("Why it failed: the Job's condition and the container's termination message.")
    public String message;

    @JsonPropertyDescription(
            "When the Job was asked for (RFC 3339). For a backup: writes after this moment may not be " + "in it.")
    public String startedAt;

    @JsonPropertyDescription("When it completed or failed (RFC 3339).")
    public String finishedAt;

    public BackupStatus() {}

    public BackupStatus(String id, String job, String startedAt) {
        this.id = id;
        this.job = job;
        this.result = MigrationStatus.Result.Pending;
        this.startedAt = startedAt;
    }
}
