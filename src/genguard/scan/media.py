"""Reading an item's bytes from a local path or shared object storage, always bounded."""

from __future__ import annotations

from pathlib import Path

from genguard.config import MediaLimits
from genguard.errors import MediaError
from genguard.media.decode import read_file

#: Schemes read through pyarrow's filesystems (a Ray cluster's shared storage). Nothing else with
#: ``://`` is fetched: a manifest must not make a worker reach arbitrary hosts.
STORAGE_SCHEMES = ("s3://", "gs://", "gcs://", "abfs://", "hdfs://")


def read_media(path: str, limits: MediaLimits) -> bytes:
    """The bytes at ``path`` (at most ``limits.max_bytes``), or a ``MediaError`` saying why not."""
    if "://" not in path:
        return read_file(Path(path), limits=limits)
    if not path.startswith(STORAGE_SCHEMES):
        raise MediaError(f"{path!r}: only local paths and {', '.join(STORAGE_SCHEMES)} are read",
                         code="media_scheme")
    try:
        from pyarrow import fs
    except ImportError as exc:
        raise MediaError("object storage paths need pyarrow: pip install 'genguard[ray]'",
                         code="media_unreadable") from exc
    try:
        filesystem, inner = fs.FileSystem.from_uri(path)
        with filesystem.open_input_stream(inner) as stream:
            data = stream.read(limits.max_bytes + 1)
    except (OSError, ValueError) as exc:
        raise MediaError(f"cannot read {path!r}: {exc}", code="media_unreadable") from None
    if len(data) > limits.max_bytes:
        raise MediaError(f"{path!r} is over the {limits.max_bytes}-byte limit", code="media_too_large")
    return data
