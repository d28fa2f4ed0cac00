-- 0007_invoices: invoices imported by the operator (gatehouse billing
-- import). doc is the whole invoice as JSON; the other columns are what
-- lookups and listings use.
CREATE TABLE invoices (
	account_id TEXT NOT NULL,
	invoice_id TEXT NOT NULL,
	issued_at  INTEGER NOT NULL,
	doc        TEXT NOT NULL,
	PRIMARY KEY (account_id, invoice_id)
) STRICT;
CREATE INDEX invoices_issued ON invoices (account_id, issued_at);
