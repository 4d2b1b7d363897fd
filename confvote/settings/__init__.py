"""Settings split by environment: base (shared), dev, test, prod. Values come from the environment."""
