-- An event that is over has nothing on screen: events closed before this rule still showed the
-- last question put up.
UPDATE screen_times SET hidden_at = CURRENT_TIMESTAMP
WHERE hidden_at IS NULL
  AND event_id IN (SELECT id FROM events WHERE status IN ('closed', 'archived'));
UPDATE questions SET on_screen = FALSE
WHERE on_screen
  AND event_id IN (SELECT id FROM events WHERE status IN ('closed', 'archived'));
