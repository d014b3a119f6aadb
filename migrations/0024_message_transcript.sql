-- Voice notes can carry a transcript: messages.transcript marks a text that a transcription endpoint wrote, not the sender.

ALTER TABLE messages ADD COLUMN transcript boolean NOT NULL DEFAULT false;
