package dev.rollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The image a revert goes back to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LastKnownGood {
  @JsonPropertyDescription("The image reference.")
  public String image;

  @JsonPropertyDescription("Its digest (sha256:...) when the reference or the pods tell it.")
  public String digest;

  @JsonPropertyDescription("Since when it has been known good (RFC 3339).")
  public String since;

  public LastKnownGood() {}

  public LastKnownGood(String image, String digest, String since) {
    this.image = image;
    this.digest = digest;
    this.since = since;
  }
}
