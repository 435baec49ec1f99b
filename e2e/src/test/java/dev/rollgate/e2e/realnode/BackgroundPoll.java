package dev.rollgate.e2e.realnode;

/** A daemon thread that runs {@link #pollOnce()} every {@code periodMillis} until closed. */
abstract class BackgroundPoll implements AutoCloseable {
    private final Thread thread;
    private final long periodMillis;
    private volatile boolean running = true;

    BackgroundPoll(String name, long periodMillis) {
        this.periodMillis = periodMillis;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    final void startPolling() {
        thread.start();
    }

    abstract void pollOnce();

    private void loop() {
        while (running) {
            pollOnce();
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops after the poll in flight. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
