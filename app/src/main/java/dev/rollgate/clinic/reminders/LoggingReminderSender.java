package dev.rollgate.clinic.reminders;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

/**
 * The reference app's "delivery": a log line. A real gateway (mail, SMS) would sit here; the
 * {@link Timeout} is for it — the job's row lock is held while sending, so a hung gateway must fail the
 * attempt rather than hold the lock forever.
 */
@ApplicationScoped
public class LoggingReminderSender implements ReminderSender {

    private static final Logger LOG = Logger.getLogger(LoggingReminderSender.class);

    @Override
    @Timeout(5000)
    public void send(Reminder reminder) {
        LOG.infof(
                "Reminder for appointment %d: %s with %s at %s",
                reminder.appointmentId(), reminder.patientEmail(), reminder.practitioner(), reminder.startsAt());
    }
}
