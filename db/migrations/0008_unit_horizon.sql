-- Scheduling (issue 3): how far ahead the unit's templates are laid out ("default 12 weeks,
-- configurable"), as a setting of the unit a scheduler changes once, not a number every call
-- has to repeat. The rolling horizon keeper, template saves and "lägg ut schemat" all use it.
ALTER TABLE units ADD COLUMN horizon_weeks INTEGER NOT NULL DEFAULT 12 CHECK (horizon_weeks BETWEEN 1 AND 104);
