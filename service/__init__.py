"""Service: the FastAPI app serving the JSON API, the analysts' review page and the policy search page."""
