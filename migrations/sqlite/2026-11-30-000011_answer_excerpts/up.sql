-- What was said in the recording where an answer accepted from it was discussed: shown on its FAQ
-- entry as "From the recording" and searched with it.
ALTER TABLE answers ADD COLUMN transcript_excerpt TEXT;
