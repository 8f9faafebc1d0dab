"""Presenters: what a page shows, built from storage rows and the pure modules (no SQL of their own)."""
