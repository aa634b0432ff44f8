"""Pure-Python eligibility engine: household facts in, matches with reasons out (no Django)."""
