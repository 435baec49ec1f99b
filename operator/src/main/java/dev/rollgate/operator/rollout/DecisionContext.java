package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.Reasons.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollgate.operator.api.ApiDeploymentSpec;
import dev.rollgate.operator.api.ApiDeploymentStatus;
import dev.rollgate.operator.api.HistoryEntry;
import dev.rollgate.operator.api.ImageResolution;
import dev.rollgate.operator.api.LastKnownGood;
import dev.rollgate.operator.api.Phase;
import dev.rollgate.operator.image.ImageReference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One decision in the making, shared by the state handlers: the input, a working copy of the
 * status, the events and milestones so far, the Job asked for, and the helpers that write
 * conditions, events and history. A fresh instance per call, so nothing outlives it.
 */
final class DecisionContext {
    private static final ObjectMapper COPIER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    final RolloutInput in;
    final ApiDeploymentSpec spec;
    final Observations seen;
    final Instant now;
    /** The status being decided: a deep copy, so the input is never changed. */
    final ApiDeploymentStatus status;

    final List<RolloutEvent> events = new ArrayList<>();
    final List<Milestone> milestones = new ArrayList<>();
    /** A Job that must exist (migration, backup, restore), or null. */
    JobRun job;
    /** Apply the image with 0 replicas in both tiers (a restore is under way). */
    boolean stopTiers;
    /** The phase and Progressing reason before this call: what an event on a transition compares with. */
    final Phase previousPhase;

    final String previousProgressingReason;

    DecisionContext(RolloutInput in) {
        this.in = in;
        this.spec = in.spec();
        this.seen = in.observed();
        this.now = in.now();
        this.status = in.status() == null
                ? new ApiDeploymentStatus()
                : COPIER.convertValue(in.status(), ApiDeploymentStatus.class);
        if (status.conditions == null) {
            status.conditions = new ArrayList<>();
        }
        if (status.history == null) {
            status.history = new ArrayList<>();
        }
        this.previousPhase = status.phase;
        var progressing = Conditions.find(status.conditions, PROGRESSING);
        this.previousProgressingReason = progressing == null ? null : progressing.getReason();
    }

    void record(HistoryEntry entry) {
        status.history.add(entry);
        while (status.history.size() > RolloutDecider.HISTORY_LIMIT) {
            status.history.remove(0);
        }
    }

    void condition(String type, boolean holds, String reason, String message) {
        Conditions.set(status.conditions, type, holds, reason, message, in.generation(), now);
    }

    void condition(String type, String holds, String reason, String message) {
        Conditions.set(status.conditions, type, holds, reason, message, in.generation(), now);
    }

    void degraded(boolean holds, String reason, String message) {
        condition(DEGRADED, holds, reason, message);
    }

    void event(boolean warning, String reason, String message) {
        events.add(new RolloutEvent(warning, reason, message));
    }

    Decision decision(Optional<String> apply, Optional<Duration> requeue, String reason) {
        return new Decision(
                status,
                apply,
                Optional.ofNullable(job),
                stopTiers,
                List.copyOf(events),
                List.copyOf(milestones),
                requeue,
                reason);
    }

    /** Whether {@code image} is resolved by the registry before it is rolled: Registry mode, and not pinned already. */
    boolean resolvesByRegistry(String image) {
        return spec.rollout.imageResolution == ImageResolution.Registry
                && ImageReference.tryParse(image).map(r -> !r.isDigestPinned()).orElse(false);
    }

    /** Whether a rollout's target is spec.image: as written, or pinned to the digest the registry gave. */
    boolean rollsSpecImage(String target) {
        return spec.image.equals(target) || ImageReference.isPinnedForm(target, spec.image);
    }

    Duration timeout() {
        return Duration.ofSeconds(spec.rollout.timeoutSeconds);
    }

    /** Ten hex digits of the SHA-256 of {@code text}. */
    static String key(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String countsText() {
        return text(
                COUNTS_MESSAGE,
                status.api.available,
                apiReplicas(),
                status.api.updated,
                status.worker.available,
                spec.worker.replicas,
                status.worker.updated);
    }

    /**
     * How many api pods the tier should have: spec.api.replicas, or under autoscaling what the
     * HPA last set on the Deployment (at least minReplicas until the Deployment exists).
     */
    int apiReplicas() {
        if (spec.api.autoscaling == null) {
            return spec.api.replicas;
        }
        return seen.api().verdict() == RolloutVerdict.Missing
                ? spec.api.autoscaling.minReplicas
                : seen.api().counts().replicas;
    }

    String notReadyText() {
        return seen.dependencies().stream()
                .filter(d -> !d.ready())
                .map(d -> text(DEPENDENCY_NOT_READY, d.name(), d.detail()))
                .collect(Collectors.joining("; "));
    }

    /**
     * lastKnownGood.image pinned to lastKnownGood.digest ({@code <repository>@<digest>}), or null
     * when there is no digest (or status holds something that is not one: then the tag, as before).
     */
    String pinnedKnownGood() {
        LastKnownGood good = status.lastKnownGood;
        if (good == null
                || !ImageReference.isDigest(good.digest)
                || spec.rollout.imageResolution == ImageResolution.None) {
            return null;
        }
        return ImageReference.tryParse(good.image)
                .map(r -> r.withDigest(good.digest).toString())
                .orElse(null);
    }

    boolean writeRefused() {
        var synced = Conditions.find(status.conditions, SYNCED);
        return synced != null && "False".equals(synced.getStatus());
    }

    String stillRunning() {
        return status.image == null ? NOTHING_IS_INSTALLED : text(BOTH_TIERS_STAY_ON, status.image);
    }

    /** {@code <name>-<what>-<key of seed>}, at most 63 characters. */
    String jobName(String what, String seed) {
        int room = 63 - what.length() - 12;
        String prefix = in.name().length() > room ? in.name().substring(0, room) : in.name();
        while (prefix.endsWith("-") || prefix.endsWith(".")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix + "-" + what + "-" + key(seed);
    }
}
