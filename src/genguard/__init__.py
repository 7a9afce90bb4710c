"""genguard: screen image generation and run platform safety against sexual deepfakes and child abuse.

>>> from genguard import Guard
>>> with Guard() as guard:                                   # doctest: +SKIP
...     verdict = guard.screen(kind="edit", prompt="put a hat on her", sources=["photo.jpg"])
...     verdict.decision, verdict.reasons
"""

__version__ = "0.1.0"

__all__ = ["Decision", "Guard", "ImageInput", "Request", "RequestKind", "ScreenRequest", "Verdict", "__version__"]


#: Where each public name lives. Imported on first use: Guard pulls in the detectors, and even the
#: pydantic models cost every CLI command (``genguard keys create`` never needs them).
_PUBLIC = {
    "Decision": "genguard.verdict",
    "Verdict": "genguard.verdict",
    "ImageInput": "genguard.request",
    "Request": "genguard.request",
    "ScreenRequest": "genguard.request",
    "RequestKind": "genguard.request",
    "Guard": "genguard.guard",
}


def __getattr__(name: str) -> object:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'genguard' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_PUBLIC[name]), name)
