"""Unit tests of the pure modules (a package, so their names may repeat those in tests/)."""
