-- When a delivery's message was first handed to its platform. A retry long after it (a slow restart, a long
-- lease, a long backoff) falls outside the minutes in which Discord recognises the message's nonce; the
-- worker then looks in the channel for the message before sending it again.
ALTER TABLE deliveries ADD COLUMN first_attempt_at REAL;
