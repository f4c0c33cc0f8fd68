"""Watchlists and rules, matched against new posts and growing stories, and the notifiers that deliver them."""
