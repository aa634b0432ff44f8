"""Models of applications."""
