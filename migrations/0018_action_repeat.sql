-- Repeating actions: each action's RFC 5545 repeat rule ('' when it happens once); a due repeating action moves to its next occurrence.

ALTER TABLE actions ADD COLUMN repeat text NOT NULL DEFAULT '' CHECK (length(repeat) <= 200);
