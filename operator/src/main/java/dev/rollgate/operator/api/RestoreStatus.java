package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A restore of the database, asked for with the rollgate.dev/restore annotation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreStatus {

    /** ScaleDown: both tiers to 0; Restore: the restore Job runs; Revert: the tiers go back to the known-good image. */
    public enum Step {
        ScaleDown,
        Restore,
        Revert,
        Done
    }

    @JsonPropertyDescription("The annotation's value: the backup asked for.")
    public String requested;

    @JsonPropertyDescription(
            "ScaleDown (both tiers to 0) | Restore (the restore Job runs) | Revert (both tiers back on "
                    + "the last known-good image) | Done.")
    public Step step;

    @JsonPropertyDescription("The restore Job, <name>-restore-<key>.")
    public String job;

    @JsonPropertyDescription("Pending | Running | Succeeded | Failed; Rejected when the annotation named no backup "
            + "that can be restored now (the message says why).")
    public String result;

    @JsonPropertyDescription("Why it failed or was rejected.")
    public String message;

    @JsonPropertyDescription("When it was asked for (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription("When it completed, failed or was rejected (RFC 3339).")
    public String finishedAt;
}
