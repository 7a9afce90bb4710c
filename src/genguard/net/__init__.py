"""Outbound network access to addresses a caller chose (item media URLs, the images gateway's
upstream image URLs): see :mod:`genguard.net.fetch`."""
