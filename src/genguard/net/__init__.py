"""Outbound network access to addresses a caller chose (media URLs): see :mod:`genguard.net.fetch`."""
