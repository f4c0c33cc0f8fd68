"""The web app: public and subscriber reports, the analyst's workspace, admin, and the JSON API."""
