package dev.rollgate.operator.rollout;

import dev.rollgate.operator.image.ImageReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The digest both tiers run an image as, when it can be told for certain; part of the decider
 * (pure, no client calls). A wrong known-good digest would make a revert roll other bits than
 * the ones that passed the gate, so every doubt gives none:
 * <ul>
 *   <li>a reference pinned by digest runs that digest (the runtime verifies it);
 *   <li>otherwise both tiers must be complete on the image, at least one ready pod must report,
 *       and every ready pod of both tiers must report a repository digest
 *       ({@link ImageReference#fromImageId}) of the same repository and the same digest.
 * </ul>
 * Example: api pods report {@code docker.io/library/clinic@sha256:aa…} twice, the worker pod
 * the same: {@code sha256:aa…}. One worker pod reports {@code sha256:<config id>} (a locally
 * loaded image) or nothing, or an api pod {@code …@sha256:bb…} (the tag moved between pulls):
 * none.
 */
final class RunningDigest {
    private RunningDigest() {}

    static Optional<String> of(String image, Observations seen) {
        Optional<ImageReference> ref = ImageReference.tryParse(image);
        if (ref.isEmpty()) {
            return Optional.empty();
        }
        if (ref.get().isDigestPinned()) {
            return ref.get().digest();
        }
        if (!seen.bothCompleteOn(image)) {
            return Optional.empty();
        }
        List<String> reports = new ArrayList<>(seen.api().readyImageIds());
        reports.addAll(seen.worker().readyImageIds());
        Set<String> digests = new HashSet<>();
        for (String report : reports) {
            Optional<ImageReference> ran = ImageReference.fromImageId(report);
            if (ran.isEmpty()
                    || !ran.get().canonicalRepository().equals(ref.get().canonicalRepository())) {
                return Optional.empty();
            }
            digests.add(ran.get().digest().orElseThrow());
        }
        return digests.size() == 1 ? Optional.of(digests.iterator().next()) : Optional.empty();
    }
}
