-- session.qr events no longer hold the linking code: strip it from the rows written before.
UPDATE events SET data = data - 'code' WHERE type = 'session.qr' AND data ? 'code';
