"""Service routes: one module per area of the API and the two HTML pages."""
