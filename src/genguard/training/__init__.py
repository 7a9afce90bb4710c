"""Offline training of the bundled models (the intent model's two stages): never imported by the
service at run time (an import-linter contract checks that). See docs/intent.md, "Training"."""
