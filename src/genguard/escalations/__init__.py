"""Escalations: items that must reach a human, raised by screening and the banks, worked by cases."""
