-- Messages are found by their WhatsApp id within a chat: a reply reads the message it quotes (messages_chat_wa_id_idx).

-- The unique key leads with the sender, whom a quote may not name (or names
-- by another JID than the stored phone), so without this index each read of
-- a reply would walk the chat's entries of that key.
CREATE INDEX messages_chat_wa_id_idx ON messages (session_id, chat, wa_id);
