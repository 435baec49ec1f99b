package dev.rollgate.operator.image;

/** Resolves an image reference to the digest its tag names now (the decider's only window on a registry). */
@FunctionalInterface
public interface ImageResolver {
    Resolution resolve(String image);

    /** For callers that never resolve: any call is a bug. */
    ImageResolver NONE = image -> {
        throw new IllegalStateException("no image resolver was given, yet " + image + " was to be resolved");
    };
}
