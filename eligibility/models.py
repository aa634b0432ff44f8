"""Models of eligibility."""
