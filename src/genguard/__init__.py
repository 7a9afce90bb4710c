"""genguard: screen image generation and run platform safety against sexual deepfakes and child abuse.

>>> from genguard import Guard
>>> with Guard() as guard:                                   # doctest: +SKIP
...     verdict = guard.screen(kind="edit", prompt="put a hat on her", sources=["photo.jpg"])
...     verdict.decision, verdict.reasons
"""

from genguard.verdict import Decision, Verdict
from genguard.request import ImageInput, Request, RequestKind

__version__ = "0.1.0"

__all__ = ["Decision", "Guard", "ImageInput", "Request", "RequestKind", "Verdict", "__version__"]


def __getattr__(name: str) -> object:
    # Guard pulls in the detectors; importing it lazily keeps `import genguard` cheap.
    if name == "Guard":
        from genguard.guard import Guard

        return Guard
    raise AttributeError(name)
