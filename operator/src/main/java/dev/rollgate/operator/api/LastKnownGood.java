package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The image a revert goes back to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LastKnownGood {
    /** The reference as spec.image named it (a tag stays a tag). */
    @JsonPropertyDescription("The image reference, as spec.image named it.")
    public String image;

    /**
     * The digest the known-good pods ran: the reference's own when it is pinned, else the one the
     * ready pods of both tiers reported (containerStatuses[].imageID) when the rollout completed,
     * if they all reported the same repository digest. Absent rather than guessed otherwise.
     */
    @JsonPropertyDescription("The digest (sha256:<64 hex>) both tiers ran when this image's rollout completed: the "
            + "reference's own when pinned, else the repository digest every ready pod of both tiers reported in "
            + "containerStatuses[].imageID. Absent when not every pod reported the same one. A revert rolls both tiers to "
            + "the image pinned to this digest (<repository>@<digest>) when present, so that a moved tag cannot change "
            + "what a revert runs.")
    public String digest;

    @JsonPropertyDescription("The backup of the database taken, with this image running, before a Breaking migration "
            + "of a later rollout: what the rollgate.dev/restore annotation restores.")
    public KnownGoodBackup backup;

    @JsonPropertyDescription("Since when it has been known good (RFC 3339).")
    public String since;

    public LastKnownGood() {}

    public LastKnownGood(String image, String digest, String since) {
        this.image = image;
        this.digest = digest;
        this.since = since;
    }
}
