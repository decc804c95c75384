-- Scheduling (issue 3): a booked slot that a template change could not reach follows the
-- template once its booking goes. A scheduler who changes Tuesday afternoons from one visit type
-- to another, or moves the times, expects a time freed by a cancellation next week to be offered
-- as the template now says, not as it said when the patient booked.
--
-- One row per booked slot that a template edit, deactivation or closed eve left as it was
-- (services/templates.ts reconcileFuture and setEveRules). Cancelling or rebooking the booking
-- applies the template to the slot there and then; the schedule horizon's runs catch up with
-- slots freed by other writers (a cancellation pulled from the central side).
CREATE TABLE slots_behind_template (
  slot_id     TEXT PRIMARY KEY REFERENCES slots(id),
  template_id TEXT NOT NULL REFERENCES schedule_templates(id),
  marked_at   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX slots_behind_template_by_template ON slots_behind_template(template_id);
