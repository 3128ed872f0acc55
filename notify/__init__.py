"""Telling people about decisions: signed callbacks to the site, with retries and dead letters."""
