"""Helpers the tests share: real servers, real processes, request bodies."""
