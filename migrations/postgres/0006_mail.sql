-- Emails in the recipient's language, as text and HTML: the language a user
-- last chose in the app, and each stored email's HTML part.
ALTER TABLE users ADD COLUMN language TEXT;
ALTER TABLE outbox ADD COLUMN body_html TEXT;
