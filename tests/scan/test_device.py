"""GENGUARD_DEVICE: CUDA where asked for and present, else CPU with a log line; CPU by default."""

from __future__ import annotations

import logging

import pytest

from genguard.detectors.runtime import CPU, CUDA, onnx_session, package_file, providers


def test_cpu_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GENGUARD_DEVICE", raising=False)
    assert providers(available=[CUDA, CPU]) == [CPU]


@pytest.mark.parametrize("device", ["cuda", "auto"])
def test_cuda_when_the_provider_is_there(device: str) -> None:
    assert providers(device, available=["TensorrtExecutionProvider", CUDA, CPU]) == [CUDA, CPU]


def test_cuda_asked_for_but_missing_falls_back_with_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="genguard.detectors.runtime"):
        assert providers("cuda", available=[CPU]) == [CPU]
    assert "running on CPU" in caplog.text and "genguard[gpu]" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="genguard.detectors.runtime"):
        assert providers("auto", available=[CPU]) == [CPU]
    assert caplog.text == ""  # auto asks for nothing in particular: no warning


def test_an_unknown_device_is_refused() -> None:
    with pytest.raises(ValueError, match="cpu, cuda or auto"):
        providers("tpu")


def test_a_real_session_runs_on_cpu_here_when_cuda_is_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """This machine has the CPU wheel: the model still loads and runs, on CPU."""
    monkeypatch.setenv("GENGUARD_DEVICE", "cuda")
    session = onnx_session(package_file("nudenet", "320n.onnx"), threads=1)
    assert session.get_providers() == [CPU]
