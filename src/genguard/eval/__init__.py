"""Evaluation of prompt screening: data loading, the held-out split, metrics and reports."""
