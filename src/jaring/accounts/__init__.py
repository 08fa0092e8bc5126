"""Accounts: users, their roles and regions, sessions, API tokens and the audit trail."""
