-- Each WhatsApp session's live-delivery policy: always_on keeps its connection up while its user's actor rests; NULL takes the default (on when the owner has a webhook for it).

ALTER TABLE wa_sessions ADD COLUMN always_on boolean;
