package dev.rollgate.operator.rollout;

import static dev.rollgate.operator.rollout.Reasons.*;

import dev.rollgate.operator.api.RolloutProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Judges a rollout or revert in flight against its deadlines: a stuck pod (failFast), the
 * Deployment controller's ProgressDeadlineExceeded, no progress for timeoutSeconds, or
 * maxDurationSeconds; and keeps {@code status.progress}, the clock the progress deadline counts from.
 */
final class DeadlineJudge {
    private DeadlineJudge() {}

    record Failure(String reason, String message) {}

    /**
     * The first reason to give up on the rollout (or revert) to {@code image} that started at
     * {@code started}: a stuck pod of that image (fail fast), the Deployment controller's
     * ProgressDeadlineExceeded, or our own deadline.
     */
    static Failure failureOf(DecisionContext ctx, String image, Instant started) {
        if (Boolean.TRUE.equals(ctx.spec.rollout.failFast)) {
            for (PodFailure p : ctx.seen.podFailures()) {
                if (image.equals(p.image())) {
                    return new Failure(p.reason(), p.describe());
                }
            }
        }
        for (var tier : List.of(ctx.seen.api(), ctx.seen.worker())) {
            if (tier.deadlineExceededOn(image, started, ctx.timeout())) {
                return new Failure(
                        PROGRESS_DEADLINE_EXCEEDED,
                        text(PROGRESS_DEADLINE_EXCEEDED_MESSAGE, ctx.spec.rollout.timeoutSeconds, ctx.countsText()));
            }
        }
        if (!progressClock(ctx, started).plus(ctx.timeout()).isAfter(ctx.now)) {
            return new Failure(
                    ROLLOUT_TIMEOUT, text(ROLLOUT_TIMEOUT_MESSAGE, ctx.spec.rollout.timeoutSeconds, ctx.countsText()));
        }
        if (ctx.spec.rollout.maxDurationSeconds != null
                && !started.plusSeconds(ctx.spec.rollout.maxDurationSeconds).isAfter(ctx.now)) {
            return new Failure(
                    MAX_DURATION_EXCEEDED,
                    text(MAX_DURATION_EXCEEDED_MESSAGE, ctx.spec.rollout.maxDurationSeconds, ctx.countsText()));
        }
        return null;
    }

    /**
     * Records progress towards {@code target}: a new high of the tiers' progress mark moves
     * {@code status.progress.at} to now. The first mark after a start or revert (the controller
     * has observed the new template) counts as progress; a status written before progress was
     * tracked starts counting from {@code started}.
     */
    static void trackProgress(DecisionContext ctx, String target, Instant started) {
        Integer mark = ctx.seen.progressTowards(target);
        RolloutProgress p = ctx.status.progress;
        if (p == null) {
            ctx.status.progress = new RolloutProgress(mark, Times.format(started));
            return;
        }
        if (mark != null && (p.mark == null || mark > p.mark)) {
            ctx.status.progress = new RolloutProgress(mark, Times.format(ctx.now));
        }
    }

    /**
     * The one way a wait is taken off the clock: the clock of the rollout or revert in flight
     * restarts now, both its start (returned, for rolloutStartedAt or revertStartedAt) and the last
     * progress (its mark kept, so only a new high counts later). When it is called still differs,
     * because a revert's wait leaves no trace in status. Worked example, timeout 300 s: a rollout
     * starts at 12:00:00, waits for PostgreSQL from 12:01:00 to 12:09:00; without this it would be
     * judged timed out at 12:09:00 having had one minute to roll. A rollout's wait is its own phase
     * (WaitingForDependencies, or Paused), so its clock restarts when the wait ends: deadline
     * 12:14:00, the whole wait discounted. A revert keeps phase RollingBack while it waits, so its
     * clock restarts only when the deadline would pass during the wait (12:05:00, then again 12:10:00
     * if it still waits): once the dependency is back, the revert has what is left of the current
     * 300 s, anything from a moment to all of it. A paused revert is not discounted at all (pausing a
     * revert keeps its phase and its clock).
     */
    static String discountWait(DecisionContext ctx) {
        Integer mark = ctx.status.progress == null ? null : ctx.status.progress.mark;
        ctx.status.progress = new RolloutProgress(mark, Times.format(ctx.now));
        return Times.format(ctx.now);
    }

    /** Where the progress deadline counts from: the last progress, never before {@code started}. */
    static Instant progressClock(DecisionContext ctx, Instant started) {
        if (ctx.status.progress == null || ctx.status.progress.at == null) {
            return started;
        }
        Instant at = Times.parse(ctx.status.progress.at);
        return at.isAfter(started) ? at : started;
    }

    /**
     * Time until the next deadline (no progress for timeoutSeconds, or maxDurationSeconds), at
     * least a second so that a deadline just passed is judged next time.
     */
    static Duration timeLeft(DecisionContext ctx, Instant started) {
        Instant due = progressClock(ctx, started).plus(ctx.timeout());
        if (ctx.spec.rollout.maxDurationSeconds != null
                && started.plusSeconds(ctx.spec.rollout.maxDurationSeconds).isBefore(due)) {
            due = started.plusSeconds(ctx.spec.rollout.maxDurationSeconds);
        }
        return atLeastASecond(Duration.between(ctx.now, due));
    }

    static Duration atLeastASecond(Duration d) {
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }
}
