package dev.rollgate.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows one ApiDeployment until its rollout is decided ({@link RolloutOutcome#isFinal()}) or the
 * time is up. It reads the object, then watches it from that resourceVersion; when the watch ends
 * (API servers close watches after a while, or the resourceVersion is too old: 410 Gone) it reads
 * the object again before watching anew, so that a change made while no watch was open is not
 * missed. Every state read or received is handed to {@code onState}, in order.
 */
public final class RolloutWatch {
    /** Between a watch that ended and the next read, so that a server refusing watches is not hammered. */
    private static final Duration RELIST_PAUSE = Duration.ofSeconds(1);

    private final ApiDeployments apiDeployments;

    public RolloutWatch(ApiDeployments apiDeployments) {
        this.apiDeployments = apiDeployments;
    }

    /** How following ended: the last state seen and its outcome, or {@code timedOut}. */
    public record Result(ApiDeploymentState last, RolloutOutcome outcome, boolean timedOut) {}

    /** What the watch thread hands to the waiting one. */
    private sealed interface Event permits Changed, Deleted, Closed {}

    private record Changed(ApiDeploymentState state) implements Event {}

    private record Deleted() implements Event {}

    private record Closed() implements Event {}

    public Result follow(String name, Duration timeout, Consumer<ApiDeploymentState> onState)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ApiDeploymentState last = apiDeployments.get(name);
        onState.accept(last);
        while (!RolloutOutcome.of(last).isFinal()) {
            BlockingQueue<Event> events = new LinkedBlockingQueue<>();
            Event event;
            try (Watch watch = apiDeployments.watch(name, last.resourceVersion(), into(events))) {
                while ((event = events.poll(remaining(deadline), TimeUnit.NANOSECONDS)) instanceof Changed changed) {
                    last = changed.state();
                    onState.accept(last);
                    if (RolloutOutcome.of(last).isFinal()) {
                        return new Result(last, RolloutOutcome.of(last), false);
                    }
                }
            }
            if (event == null) {
                return new Result(last, RolloutOutcome.IN_PROGRESS, true);
            } else if (event instanceof Deleted) {
                throw CommandFailure.error("apideployment \"" + name + "\" was deleted");
            }
            // Closed: read again and watch anew, after a pause that does not outlast the deadline
            TimeUnit.NANOSECONDS.sleep(Math.min(RELIST_PAUSE.toNanos(), remaining(deadline)));
            last = apiDeployments.get(name);
            onState.accept(last);
        }
        return new Result(last, RolloutOutcome.of(last), false);
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static Watcher<GenericKubernetesResource> into(BlockingQueue<Event> events) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                switch (action) {
                    case ADDED, MODIFIED -> events.add(new Changed(ApiDeployments.state(resource)));
                    case DELETED -> events.add(new Deleted());
                    case ERROR -> events.add(new Closed());
                    default -> {} // BOOKMARK: nothing changed
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                events.add(new Closed());
            }
        };
    }
}
