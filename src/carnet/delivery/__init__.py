"""Sending webhooks: where they may go (:mod:`.targets`), what is sent (:mod:`.messages`),
and the background sender (:mod:`.sender`)."""
