package dev.rollgate.e2e.realnode;

import dev.rollgate.e2e.scenario.RollgateStack;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Polls one clinic pod's readiness every 100 ms through the API server's pod proxy and, each time
 * it answers 503, its liveness right after: a database outage of a few seconds is seen as it
 * happens, not by luck of timing.
 */
final class HealthDuringOutage extends BackgroundPoll {
    private final RollgateStack stack;
    private final String pod;
    private final List<Integer> livenessWhileNotReady = Collections.synchronizedList(new ArrayList<>());
    private volatile int readyAnswers;
    private volatile int notReadyAnswers;

    private HealthDuringOutage(RollgateStack stack, String pod) {
        super("health-during-outage-" + pod, 100);
        this.stack = stack;
        this.pod = pod;
    }

    static HealthDuringOutage watch(RollgateStack stack, String pod) {
        HealthDuringOutage h = new HealthDuringOutage(stack, pod);
        h.startPolling();
        return h;
    }

    boolean sawNotReady() {
        return notReadyAnswers > 0;
    }

    /** The liveness answers fetched right after a readiness 503. */
    List<Integer> livenessWhileNotReady() {
        return List.copyOf(livenessWhileNotReady);
    }

    @Override
    void pollOnce() {
        int ready = answer("/q/health/ready");
        if (ready == 200) {
            readyAnswers++;
        } else if (ready == 503) {
            notReadyAnswers++;
            livenessWhileNotReady.add(answer("/q/health/live"));
        }
    }

    private int answer(String path) {
        return PodProxy.health(stack.admin(), stack.appNamespace(), pod, path).orElse(0);
    }

    @Override
    public String toString() {
        return "readiness 200 x" + readyAnswers + ", 503 x" + notReadyAnswers + "; liveness while 503: "
                + livenessWhileNotReady;
    }
}
