"""Integrations that put genguard inside a generator's own code path (``diffusers``)."""
