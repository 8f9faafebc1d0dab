"""Storage: every SQL statement of the application lives in this package, one module per subject."""
