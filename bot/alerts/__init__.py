"""Alerts: which notices go where (matching), the outbox's routing and delivery workers (pacing under
each platform's limits), how an alert reads (render), and the commands that manage it all."""
