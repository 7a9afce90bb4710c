"""Errors of the banks area, each with a stable machine-readable code."""

from __future__ import annotations

from genguard.errors import GenguardError


class HashFormatError(GenguardError):
    """A hash value is not what its signal type requires (bad hex, wrong length)."""

    code = "hash_invalid"
    status = 422


class IndexFileError(GenguardError):
    """A persisted index file is truncated, corrupt, or of an unknown format or version."""

    code = "index_file_invalid"
    status = 500


class ImportFormatError(GenguardError):
    """A hash list to import is malformed or hostile (e.g. an XML DOCTYPE or entity)."""

    code = "import_invalid"
    status = 422
