"""``genguard scan``: bulk screening and hash matching that resumes exactly where it stopped.

source (folder, manifest, stdin) ─► items in a stable order ─► engine (local worker processes or
Ray actors, each holding the models and the bank index) ─► records in input order ─► writer,
whose committed output is also the checkpoint.

Modules: :mod:`.items` (what one unit of work is), :mod:`.sources` (readers), :mod:`.worker`
(what a worker does with a batch), :mod:`.engine` (the local engine and the engine interface),
:mod:`.ray_engine`, :mod:`.writers` (JSONL / Parquet, resume), :mod:`.progress`,
:mod:`.ratelimit`, :mod:`.run` (the loop that ties them together).
"""
