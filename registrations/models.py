"""Applications to sessions and the mail outbox (see the applying and mail issues)."""
