package dev.rollgate.clinic.reminders;

/** Delivers a reminder; throwing counts as a failed attempt of the job. */
public interface ReminderSender {
    void send(Reminder reminder);
}
