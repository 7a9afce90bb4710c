"""Child process of :mod:`genguard.media.video`: decode one video from stdin, print its frame PDQs.

Run only by the parent, as ``python -I video_worker.py <container> <limits...>`` (fixed argv, no
shell); the video's bytes arrive on stdin. FFmpeg's parsers are large C code fed hostile input,
so they run here, under an address-space and CPU-time limit set before ``av`` is imported: a
crash, a hang or a memory blow-up costs this process, never the service. The answer is one JSON
object on stdout: ``{"ok": true, ...}`` with the sampled frames, or ``{"ok": false, "code",
"message"}`` for a refusal; the parent checks every field.
"""

from __future__ import annotations

import json
import resource
import sys

#: Decoders allowed to run: the codecs of MP4 and WebM as phones, browsers and generators write
#: them. Anything else (old or exotic decoders are where FFmpeg's bugs cluster) is refused.
CODECS = frozenset({"h264", "hevc", "vp8", "vp9", "av1", "mpeg4"})
#: FFmpeg demuxer per sniffed container: nothing is probed, so no other demuxer sees the bytes.
DEMUXERS = {"mp4": "mp4", "webm": "matroska"}
#: Longest side of the frames PDQ is computed on; PDQ reduces to 64 x 64 anyway.
HASH_SIDE = 512


def _refuse(code: str, message: str) -> None:
    print(json.dumps({"ok": False, "code": code, "message": message}))
    sys.exit(0)


def main(argv: list[str]) -> None:
    container, max_side, max_pixels, max_seconds, max_frames, interval, memory = argv
    resource.setrlimit(resource.RLIMIT_AS, (int(memory), int(memory)))
    data = sys.stdin.buffer.read()

    import io

    import av
    import numpy as np
    import pdqhash

    try:
        with av.open(io.BytesIO(data), mode="r", format=DEMUXERS[container]) as media:
            if not media.streams.video:
                _refuse("media_corrupt", "the file holds no video stream")
            stream = media.streams.video[0]
            codec = stream.codec_context.name
            if codec not in CODECS:
                _refuse("media_unsupported_type",
                        f"video codec {codec!r} is not accepted (accepted: {', '.join(sorted(CODECS))})")
            width, height = stream.codec_context.width, stream.codec_context.height
            if width <= 0 or height <= 0 or max(width, height) > int(max_side) or width * height > int(max_pixels):
                _refuse("media_too_many_pixels",
                        f"the video is {width}x{height} pixels; the limit is {max_side} a side and "
                        f"{max_pixels} in all")
            duration = float(media.duration / av.time_base) if media.duration else None
            if duration is not None and duration > float(max_seconds):
                _refuse("media_too_long", f"the video lasts {duration:.0f} s; at most {max_seconds} s are accepted")
            scale = min(1.0, HASH_SIDE / max(width, height))
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            frames: list[list[object]] = []
            next_time = 0.0
            for frame in media.decode(stream):
                when = float(frame.time) if frame.time is not None else next_time
                if when > float(max_seconds):
                    _refuse("media_too_long", f"the video runs past {max_seconds} s")
                if when + 1e-6 < next_time:
                    continue
                rgb = frame.to_ndarray(format="rgb24", width=size[0], height=size[1])
                bits, quality = pdqhash.compute(np.ascontiguousarray(rgb))
                frames.append([round(when, 3), np.packbits(bits.astype(np.uint8)).tobytes().hex(), int(quality)])
                if len(frames) > int(max_frames):
                    _refuse("media_too_many_frames",
                            f"the video has more than {max_frames} frames at one per {interval} s")
                next_time = when + float(interval)
    except av.error.InvalidDataError as exc:
        _refuse("media_corrupt", f"the video is corrupt and cannot be decoded: {exc}")
    except (av.error.EOFError, EOFError) as exc:
        _refuse("media_truncated", f"the video is truncated: {exc}")
    except av.error.FFmpegError as exc:
        _refuse("media_corrupt", f"the video cannot be decoded: {exc}")
    if not frames:
        _refuse("media_truncated", "the video has no decodable frame")
    print(json.dumps({"ok": True, "codec": codec, "width": width, "height": height,
                      "duration": duration, "frames": frames}))


if __name__ == "__main__":
    main(sys.argv[1:])
