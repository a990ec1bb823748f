-- The "day is open" rows that every release queued, one per enrolled person, were never sent:
-- nothing read them. They go until mail reminders come, which will start from a real outbox.
-- Keep it in step with ../postgres/.
DROP TABLE notifications;
