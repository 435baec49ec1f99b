package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A rollout that waits for the registry to resolve its image (imageResolution Registry), and when it asks again. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageResolutionStatus {
    @JsonPropertyDescription("The spec.image the registry has not resolved yet.")
    public String image;

    @JsonPropertyDescription("How many attempts failed in a row.")
    public Integer failures;

    @JsonPropertyDescription("When the registry is asked again (RFC 3339); the wait doubles from 5s up to 5 minutes.")
    public String retryAt;

    public ImageResolutionStatus() {}

    public ImageResolutionStatus(String image, Integer failures, String retryAt) {
        this.image = image;
        this.failures = failures;
        this.retryAt = retryAt;
    }
}
