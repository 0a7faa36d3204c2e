"""The claims domain."""
