"""Admin of applications."""
