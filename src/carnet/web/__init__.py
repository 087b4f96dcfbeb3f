"""The web dashboard: server-rendered pages over the domain, for people who sign in."""
