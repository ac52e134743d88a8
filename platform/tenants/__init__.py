"""Councils (the tenants), their lifecycle and onboarding, and the scoping that isolates them."""
