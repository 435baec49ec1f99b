package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last image whose rollout failed, and what it takes to try it again. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailedImage {
    @JsonPropertyDescription("The image reference.")
    public String image;

    @JsonPropertyDescription(
            "CrashLoopBackOff | ImagePullBackOff | ErrImagePull | ProgressDeadlineExceeded | " + "RolloutTimeout.")
    public String reason;

    @JsonPropertyDescription("What was seen, e.g. which pod.")
    public String message;

    @JsonPropertyDescription("When the failure was detected (RFC 3339).")
    public String at;

    @JsonPropertyDescription("metadata.generation when it failed; a later spec change allows a retry.")
    public Long generation;

    @JsonPropertyDescription("Value of the rollgate.dev/retry annotation when it failed; a new value allows a retry.")
    public String retryToken;
}
