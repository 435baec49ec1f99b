package dev.rollgate.clinic.data;

import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A latch that can close again: open while the data layer is initialised and the database reachable.
 *
 * <p>Callers that find it closed wait on a condition until it opens or their deadline passes — no polling.
 * Once open, {@link #awaitOpen} costs one volatile read, which is what keeps the await-ready layer under a
 * microsecond per call (see docs/clinic.md for the measured figure).
 */
@Singleton
public final class ReadinessGate {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition opened = lock.newCondition();
    private volatile boolean open;

    public boolean isOpen() {
        return open;
    }

    /**
     * @param deadlineNanos a {@link System#nanoTime()} value
     * @return true when open, false when the deadline passed first
     */
    public boolean awaitOpen(long deadlineNanos) throws InterruptedException {
        if (open) {
            return true;
        }
        lock.lock();
        try {
            long remaining = deadlineNanos - System.nanoTime();
            while (!open) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = opened.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Opens the gate and wakes every waiter. */
    public void open() {
        lock.lock();
        try {
            open = true;
            opened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public void close() {
        open = false;
    }

    /** Waits for the gate to open, at most {@code timeout}. */
    public boolean awaitOpen(long timeout, TimeUnit unit) throws InterruptedException {
        return awaitOpen(System.nanoTime() + unit.toNanos(timeout));
    }
}
