package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One finished rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HistoryEntry {
    @JsonPropertyDescription("The image rolled.")
    public String image;

    @JsonPropertyDescription("Succeeded | RolledBack | Superseded | Failed | Restored (the database was restored from "
            + "a backup on request; a RolledBack entry follows when both tiers are back).")
    public Result result;

    @JsonPropertyDescription("When the rollout started (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription("When it ended (RFC 3339).")
    public String finishedAt;

    @JsonPropertyDescription("Why it ended that way.")
    public String reason;
    /** Set on a Succeeded entry when known: what became lastKnownGood.digest. */
    @JsonPropertyDescription("For a Succeeded rollout, the digest (sha256:<64 hex>) both tiers ran, as recorded in "
            + "lastKnownGood.digest; absent when unknown.")
    public String digest;

    /** How a rollout ended. */
    public enum Result {
        Succeeded,
        RolledBack,
        Superseded,
        Failed,
        Restored
    }

    public HistoryEntry() {}

    public HistoryEntry(String image, Result result, String startedAt, String finishedAt, String reason) {
        this.image = image;
        this.result = result;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
        this.reason = reason;
    }
}
