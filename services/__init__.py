"""The composition root: one entry point per process, and the modctl command line. Nothing imports it."""
