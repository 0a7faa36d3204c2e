"""Omniflattr's registry service: any URL → a creator key, an exact ledger, escrow."""

__version__ = "0.1.0"
