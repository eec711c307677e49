-- What a statement reads from a testimony's text, kept so that it is worked out once rather than at every
-- export (`bot.statements.analysis`): its passages as offsets, whether each mentions health, and its words.
-- It is made from the person's words, so it goes with them: blanked on withdrawal, cleared on edit.
ALTER TABLE testimonies ADD COLUMN analysis TEXT;
