"""Accounts (one account can fund and create) and their API tokens."""
