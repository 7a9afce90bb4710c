"""A tiny, randomly initialised Stable Diffusion pipeline built from configs: no download.

Every component is real diffusers/transformers code (UNet2DConditionModel, AutoencoderKL,
CLIPTextModel, a CLIP BPE tokenizer over a character vocabulary written here), so the
pipeline's own generation and safety-checker path runs; only the weights are random.
"""

from __future__ import annotations

import json
import os

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing may be fetched; the pipeline is built from configs

import pytest
import torch
from diffusers import (
    AutoencoderKL,
    DDIMScheduler,
    StableDiffusionImg2ImgPipeline,
    StableDiffusionPipeline,
    UNet2DConditionModel,
)
from transformers import CLIPImageProcessor, CLIPTextConfig, CLIPTextModel, CLIPTokenizer


@pytest.fixture(scope="session")
def tiny_components(tmp_path_factory):
    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        block_out_channels=(4, 8), layers_per_block=1, sample_size=32, in_channels=4, out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=8, norm_num_groups=2, attention_head_dim=2)
    vae = AutoencoderKL(block_out_channels=(4, 8), in_channels=3, out_channels=3, latent_channels=4, norm_num_groups=2,
                        down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2)
    text_encoder = CLIPTextModel(CLIPTextConfig(
        bos_token_id=0, eos_token_id=2, pad_token_id=1, hidden_size=8, intermediate_size=16, num_attention_heads=2,
        num_hidden_layers=2, vocab_size=128, projection_dim=8))
    folder = tmp_path_factory.mktemp("tokenizer")
    vocab = {"<|startoftext|>": 0, "!": 1, "<|endoftext|>": 2}
    for char in "abcdefghijklmnopqrstuvwxyz0123456789.,'-":
        vocab.setdefault(char, len(vocab))
        vocab.setdefault(f"{char}</w>", len(vocab))
    (folder / "vocab.json").write_text(json.dumps(vocab))
    (folder / "merges.txt").write_text("#version: 0.2\n")
    tokenizer = CLIPTokenizer(str(folder / "vocab.json"), str(folder / "merges.txt"), model_max_length=32)
    scheduler = DDIMScheduler(steps_offset=1, clip_sample=False)
    return {"vae": vae, "text_encoder": text_encoder, "tokenizer": tokenizer, "unet": unet, "scheduler": scheduler,
            "safety_checker": None, "feature_extractor": CLIPImageProcessor(), "requires_safety_checker": False}


@pytest.fixture
def text_to_image(tiny_components):
    pipe = StableDiffusionPipeline(**tiny_components)
    pipe.set_progress_bar_config(disable=True)
    return pipe


@pytest.fixture
def image_to_image(tiny_components):
    pipe = StableDiffusionImg2ImgPipeline(**tiny_components)
    pipe.set_progress_bar_config(disable=True)
    return pipe
