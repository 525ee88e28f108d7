-- The collection imported FAQ entries belong to is the FAQ's, not a past event on the home page.
UPDATE events SET status = 'archived' WHERE slug = 'imported-faq' AND status = 'closed';
