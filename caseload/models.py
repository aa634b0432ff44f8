"""Models of caseload."""
