#!/usr/bin/env python3
"""Builds the tiny CLIP-shaped ONNX fixtures of plugin-clip's tests.

No pretrained CLIP can be downloaded in the test environment, so the tests run on two tiny
models with CLIP's real input and output names, in both layouts the plugin supports:

  tiny-clip-single/  model.onnx: input_ids, attention_mask, pixel_values
                     -> logits_per_image, logits_per_text, text_embeds, image_embeds
  tiny-clip-dual/    text_model.onnx:   input_ids, attention_mask -> text_embeds, last_hidden_state
                     vision_model.onnx: pixel_values -> image_embeds

Both folders hold a hand-written tokenizer.json: tiny-clip-single a word-level one (lower-casing,
whitespace pre-tokenizer, CLIP's <|startoftext|> ... <|endoftext|> template), tiny-clip-dual one
shaped like CLIP's own (NFC + whitespace + lower-case normaliser, CLIP's split regex, byte-level
BPE with the "</w>" end-of-word suffix over all 256 bytes, merges that spell out the fixture's
words, RobertaProcessing with <|startoftext|>/<|endoftext|> as the last two ids). Both also hold
config.json (context length 16) and preprocessor_config.json (32x32 crop, CLIP's mean and std).

The weights are chosen, not trained, so that the tests can assert rankings and accuracies:
the embedding space has 5 dimensions,
  0..2: colour (red, green, blue) relative to the mean of the three channels,
  3:    brightness (mean of the three normalised channels),
  4:    a small constant, so that no embedding is ever zero.
The vision encoder averages each normalised channel over the image and projects the three means
onto these axes; the text encoder averages word vectors (masked by attention_mask) where "red",
"green", "blue" point along axes 0..2, "bright"/"light"/"white" along +3, "dark"/"black" along -3,
and every other word is (0, 0, 0, 0, 0.05). A red image is therefore closest to "a photo of a
red thing", a black one to "a dark photo", and so on. The single model's logit scale is 20.

Run with Debian's python3-torch and python3-onnx:  /usr/bin/python3 make_tiny_clip.py [OUT_ROOT]
(OUT_ROOT defaults to ../resources next to this script).
"""
import json
import os
import sys

import onnx
import torch

DIM = 5
CONTEXT = 16
CROP = 32
LOGIT_SCALE = 20.0
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]

SPECIAL = ["<|startoftext|>", "<|endoftext|>", "<unk>"]
WORDS = ["a", "an", "the", "photo", "picture", "of", "thing", "image", "object", "this", "is", ".",
         "red", "green", "blue", "bright", "light", "white", "dark", "black", "grey", "gray"]
VOCAB = {w: i for i, w in enumerate(WORDS + SPECIAL)}
BOS = VOCAB["<|startoftext|>"]
EOS = VOCAB["<|endoftext|>"]


MEANINGS = [("red", 0, 1), ("green", 1, 1), ("blue", 2, 1), ("bright", 3, 1), ("light", 3, 1), ("white", 3, 1),
            ("dark", 3, -1), ("black", 3, -1)]


def word_vectors(vocab, suffix=""):
    """Special tokens are zero, every other token (0, 0, 0, 0, 0.05), the meaningful words along their axes."""
    table = torch.zeros(len(vocab), DIM)
    for token, idx in vocab.items():
        if token in SPECIAL:
            continue
        table[idx, 4] = 0.05
    for word, axis, sign in MEANINGS:
        table[vocab[word + suffix], axis] = sign * 1.0
    return table


def bytes_to_unicode():
    """GPT-2's (and CLIP's) reversible byte -> printable character map of the ByteLevel pre-tokenizer."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1)) \
        + list(range(ord("\u00ae"), ord("\u00ff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def bpe(word, ranks):
    """CLIP's BPE of one word: characters, the last with "</w>", merged by rank until no merge applies."""
    symbols = list(word[:-1]) + [word[-1] + "</w>"]
    while len(symbols) > 1:
        pairs = [(ranks.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(symbols, symbols[1:]))]
        rank, i = min(pairs)
        if rank == 1 << 30:
            break
        symbols = symbols[:i] + [symbols[i] + symbols[i + 1]] + symbols[i + 2:]
    return symbols


def clip_bpe_vocab():
    """Vocabulary and merges of a CLIP-style byte-level BPE that spells every fixture word as one token."""
    chars = list(bytes_to_unicode().values())
    vocab = {}
    for c in chars:
        vocab[c] = len(vocab)
    for c in chars:
        vocab[c + "</w>"] = len(vocab)
    merges = []
    ranks = {}
    for word in WORDS:
        if word == ".":
            continue
        while True:
            symbols = bpe(word, ranks)
            if len(symbols) == 1:
                break
            pair = (symbols[0], symbols[1])
            ranks[pair] = len(merges)
            merges.append(pair)
            merged = pair[0] + pair[1]
            if merged not in vocab:
                vocab[merged] = len(vocab)
    for t in ["<|startoftext|>", "<|endoftext|>"]:
        vocab[t] = len(vocab)
    return vocab, merges


BPE_VOCAB, BPE_MERGES = clip_bpe_vocab()


class TextEncoder(torch.nn.Module):
    def __init__(self, vocab=None, suffix=""):
        super().__init__()
        vocab = VOCAB if vocab is None else vocab
        self.embed = torch.nn.Embedding(len(vocab), DIM)
        self.embed.weight.data = word_vectors(vocab, suffix)
        self.proj = torch.nn.Linear(DIM, DIM, bias=False)
        self.proj.weight.data = torch.eye(DIM)

    def forward(self, input_ids, attention_mask):
        hidden = self.embed(input_ids)
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        return self.proj(pooled), hidden


class VisionEncoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        # 1x1 convolution (identity) as a stand-in for the patch embedding, then a projection.
        self.patch = torch.nn.Conv2d(3, 3, kernel_size=1, bias=False)
        self.patch.weight.data = torch.eye(3).reshape(3, 3, 1, 1)
        self.proj = torch.nn.Linear(3, DIM)
        third = 1.0 / 3.0
        self.proj.weight.data = torch.tensor([
            [1 - third, -third, -third],
            [-third, 1 - third, -third],
            [-third, -third, 1 - third],
            [third, third, third],
            [0.0, 0.0, 0.0]])
        self.proj.bias.data = torch.tensor([0.0, 0.0, 0.0, 0.0, 0.05])

    def forward(self, pixel_values):
        features = self.patch(pixel_values).mean(dim=(2, 3))
        return self.proj(features)


class TinyClip(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.text = TextEncoder()
        self.vision = VisionEncoder()
        self.logit_scale = torch.nn.Parameter(torch.tensor(float(torch.log(torch.tensor(LOGIT_SCALE)))))

    def forward(self, input_ids, attention_mask, pixel_values):
        text_embeds, _ = self.text(input_ids, attention_mask)
        image_embeds = self.vision(pixel_values)
        text_embeds = text_embeds / text_embeds.norm(dim=-1, keepdim=True)
        image_embeds = image_embeds / image_embeds.norm(dim=-1, keepdim=True)
        logits_per_text = self.logit_scale.exp() * text_embeds @ image_embeds.t()
        return logits_per_text.t(), logits_per_text, text_embeds, image_embeds


def tokenizer_json():
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": VOCAB[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True} for t in SPECIAL],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "model": {"type": "WordLevel", "vocab": VOCAB, "unk_token": "<unk>"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<|startoftext|>", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<|startoftext|>", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}},
                     {"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}],
            "special_tokens": {
                "<|startoftext|>": {"id": "<|startoftext|>", "ids": [BOS], "tokens": ["<|startoftext|>"]},
                "<|endoftext|>": {"id": "<|endoftext|>", "ids": [EOS], "tokens": ["<|endoftext|>"]}}},
        "decoder": None,
    }


def clip_tokenizer_json():
    """Shaped like openai/clip-vit-base-patch32's tokenizer.json, with the tiny vocabulary."""
    bos, eos = BPE_VOCAB["<|startoftext|>"], BPE_VOCAB["<|endoftext|>"]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": BPE_VOCAB[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": True, "special": True} for t in ["<|startoftext|>", "<|endoftext|>"]],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"},
            {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "},
            {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|"
                                                   "[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"},
             "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", eos], "cls": ["<|startoftext|>", bos],
                           "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<|endoftext|>", "continuing_subword_prefix": "",
                  "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False,
                  "vocab": {t: i for t, i in BPE_VOCAB.items() if t not in SPECIAL},
                  "merges": [a + " " + b for a, b in BPE_MERGES]},
    }


def write_common(folder, tokenizer, bos, eos):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, indent=1, ensure_ascii=False)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump({"model_type": "clip", "projection_dim": DIM,
                   "text_config": {"max_position_embeddings": CONTEXT, "eos_token_id": eos,
                                   "pad_token_id": eos, "bos_token_id": bos},
                   "vision_config": {"image_size": CROP}}, f, indent=1)
    with open(os.path.join(folder, "preprocessor_config.json"), "w") as f:
        json.dump({"crop_size": {"height": CROP, "width": CROP}, "do_center_crop": True,
                   "do_normalize": True, "do_resize": True, "do_rescale": True, "rescale_factor": 1 / 255,
                   "do_convert_rgb": True, "image_mean": MEAN, "image_std": STD, "resample": 3,
                   "size": {"shortest_edge": CROP}, "image_processor_type": "CLIPImageProcessor"},
                  f, indent=1)


def export(module, args, path, inputs, outputs, axes):
    module.eval()
    with torch.no_grad():
        torch.onnx.export(module, args, path, input_names=inputs, output_names=outputs,
                          dynamic_axes=axes, opset_version=14, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources")
    ids = torch.tensor([[BOS, VOCAB["red"], EOS, EOS], [BOS, VOCAB["dark"], VOCAB["photo"], EOS]], dtype=torch.int64)
    mask = torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]], dtype=torch.int64)
    pixels = torch.randn(3, 3, CROP, CROP)
    text_axes = {"input_ids": {0: "text_batch_size", 1: "sequence_length"},
                 "attention_mask": {0: "text_batch_size", 1: "sequence_length"}}
    pixel_axes = {"pixel_values": {0: "image_batch_size", 1: "num_channels", 2: "height", 3: "width"}}

    single = os.path.join(root, "tiny-clip-single")
    write_common(single, tokenizer_json(), BOS, EOS)
    export(TinyClip(), (ids, mask, pixels), os.path.join(single, "model.onnx"),
           ["input_ids", "attention_mask", "pixel_values"],
           ["logits_per_image", "logits_per_text", "text_embeds", "image_embeds"],
           {**text_axes, **pixel_axes,
            "logits_per_image": {0: "image_batch_size", 1: "text_batch_size"},
            "logits_per_text": {0: "text_batch_size", 1: "image_batch_size"},
            "text_embeds": {0: "text_batch_size"}, "image_embeds": {0: "image_batch_size"}})

    dual = os.path.join(root, "tiny-clip-dual")
    write_common(dual, clip_tokenizer_json(), BPE_VOCAB["<|startoftext|>"], BPE_VOCAB["<|endoftext|>"])
    export(TextEncoder(BPE_VOCAB, "</w>"), (ids, mask), os.path.join(dual, "text_model.onnx"), ["input_ids", "attention_mask"],
           ["text_embeds", "last_hidden_state"],
           {**text_axes, "text_embeds": {0: "text_batch_size"},
            "last_hidden_state": {0: "text_batch_size", 1: "sequence_length"}})
    export(VisionEncoder(), (pixels,), os.path.join(dual, "vision_model.onnx"), ["pixel_values"], ["image_embeds"],
           {**pixel_axes, "image_embeds": {0: "image_batch_size"}})
    print("wrote", single, "and", dual)


if __name__ == "__main__":
    main()
