UPDATE events SET status = 'closed' WHERE slug = 'imported-faq' AND status = 'archived';
