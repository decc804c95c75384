-- Återbudslistan: which freed time an offered entry was called about. A time is offered to one
-- patient at a time (the index, like the one that makes a double booking impossible), so two
-- receptionists never call two patients about the same time; taking the entry back to waiting
-- (the patient said no or did not answer), withdrawing or booking it clears the column and
-- releases the time for the next patient on the list. Stays local like the rest of the table.
ALTER TABLE waitlist ADD COLUMN offered_slot_id TEXT REFERENCES slots(id);

CREATE UNIQUE INDEX waitlist_one_offer_per_slot ON waitlist(offered_slot_id)
  WHERE offered_slot_id IS NOT NULL AND state = 'offered';
