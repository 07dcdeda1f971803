#!/usr/bin/env python3
"""Trains and exports dlx's embedded default CLIP, "fashion-clip".

A small CLIP-style dual encoder trained contrastively on the 60,000 Fashion-MNIST training
images paired with captions built from the class names, exported as Hugging Face's CLIP towers
(CLIPTextModelWithProjection / CLIPVisionModelWithProjection) are exported to ONNX, so that
plugin-clip runs it exactly like a real CLIP:

  text_model.onnx          input_ids, attention_mask -> text_embeds, last_hidden_state
  vision_model.onnx        pixel_values -> image_embeds
  tokenizer.json           CLIP's tokenizer pipeline (NFC, whitespace, lower-case, CLIP's split
                           regex, byte-level BPE with "</w>", <|startoftext|> ... <|endoftext|>);
                           the vocabulary is the 512 byte tokens plus merges learned here from
                           the captions (the `tokenizers` package is not needed)
  preprocessor_config.json CLIPImageProcessor at 28 px (no resampling of Fashion-MNIST) with
                           CLIP's mean and std
  config.json              context length 32, the special tokens, the embedding size, and
                           "logit_scale", the trained exp(logit scale) (separate towers do not
                           carry it; plugin-clip reads it from here)
  training.json            seed, settings, the measured zero-shot accuracies
  SHA256SUMS               the digests of these files (plugin-clip checks them)

The towers:
  image: 3 conv blocks (16, 32, 64 channels, batch norm, ReLU, 2 max pools), global average
         pool, linear projection to 64 dimensions;
  text:  token + position embedding (width 64), 2 pre-norm transformer blocks (4 heads, causal
         attention as in CLIP, padding masked by attention_mask), final layer norm, the hidden
         state at the first <|endoftext|> token, linear projection to 64 dimensions.
Embeddings are L2-normalised; logits are exp(logit_scale) x cosine (learned, clamped at 100).

Captions: every training image gets a caption drawn at random from TEMPLATES x its class's
NAMES (the data set's class name and a few synonyms). Several captions of a batch share a class,
so the contrastive targets are all pairs of the same class (uniform over them), not only the
diagonal.

Run with Debian's python3-torch, python3-onnx and python3-numpy (no network needed; with
libopenblas0-pthread installed, torch's matrix products are many times faster):
  /usr/bin/python3 train_fashion_clip.py [--data /usr/share/datasets/fashion-mnist] [--out DIR]
      [--checkpoint FILE]   also save the trained weights there
      [--export-only FILE]  export (and evaluate) saved weights without training
The default output is plugin-clip/src/main/resources/dlx/clip/fashion-clip/ next to this script,
and plugin-clip/src/test/resources/fashion-clip-reference.json (token ids of every training
caption and embeddings of a few test images and captions, which the Java tests compare with
what DJL's tokenizer and ONNX Runtime produce).
"""
import argparse
import functools
import gzip
import hashlib
import json
import math
import os
import random
import re
import struct
import time
import unicodedata

import numpy as np
import onnx
import torch
import torch.nn.functional as F

SEED = 20240613
EPOCHS = 6
BATCH = 256
LR = 2e-3
WEIGHT_DECAY = 0.05
# The position table has CLIP's 77 rows; plugin-clip pads to CONTEXT (config.json): the captions
# are under 20 tokens, and a shorter context encodes them about 4x faster to the same embeddings
# (every position after the first end-of-text token is masked out of the pooled one).
POSITIONS = 77
CONTEXT = 32
DIM = 64
WIDTH = 64
LAYERS = 2
HEADS = 4
SIDE = 28
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]
MAX_LOGIT_SCALE = 100.0

# The data set's class names (dlx.kit.data.FashionMnist.CLASSES) first, then synonyms.
NAMES = [
    ["T-shirt/top", "t-shirt", "top", "tee"],
    ["Trouser", "trousers", "pants", "jeans"],
    ["Pullover", "sweater", "jumper"],
    ["Dress", "skirt"],
    ["Coat", "jacket"],
    ["Sandal", "sandals"],
    ["Shirt", "blouse"],
    ["Sneaker", "sneakers", "trainer", "shoe"],
    ["Bag", "handbag", "purse"],
    ["Ankle boot", "boot", "boots"],
]
TEMPLATES = [
    "a photo of a {}.", "a picture of a {}.", "a photo of the {}.", "an image of a {}.", "a {}.", "{}",
    "a black and white photo of a {}.", "a low resolution photo of a {}.", "a grayscale photo of a {}.",
    "a close-up photo of a {}.", "a product photo of a {}.", "a small photo of a {}.",
]
ZERO_SHOT_TEMPLATE = "a photo of a {}."
BOS_TOKEN = "<|startoftext|>"
EOS_TOKEN = "<|endoftext|>"


# ---------------------------------------------------------------- data

def read_idx(path):
    with gzip.open(path) if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(count, rows, cols)
    return np.frombuffer(data, np.uint8, offset=8)


def load_split(folder, prefix):
    def find(stem):
        for name in (stem + ".gz", stem):
            if os.path.exists(os.path.join(folder, name)):
                return os.path.join(folder, name)
        raise FileNotFoundError(stem + "(.gz) not in " + folder)
    return read_idx(find(prefix + "-images-idx3-ubyte")), read_idx(find(prefix + "-labels-idx1-ubyte")).astype(np.int64)


def pixel_values(images):
    """CLIPImageProcessor on 28x28 grey images: RGB copies, rescale 1/255, normalise per channel."""
    x = torch.from_numpy(images.astype(np.float32) * np.float32(1 / 255))
    planes = [(x - MEAN[c]) / STD[c] for c in range(3)]
    return torch.stack(planes, dim=1)


# ---------------------------------------------------------------- tokenizer

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


BYTE_CHARS = bytes_to_unicode()
# CLIP's split regex, with \p{L} and \p{N} as Python's \w classes (the captions are ASCII).
SPLIT = re.compile(r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|(?:[^\s\w]|_)+")


def pre_tokenize(text):
    """tokenizer.json's normaliser and pre-tokenizer: NFC, whitespace runs -> ' ', lower case, split, bytes."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).lower()
    return ["".join(BYTE_CHARS[b] for b in w.encode("utf-8")) for w in SPLIT.findall(text)]


def bpe(word, ranks):
    """BPE of one pre-token: characters, the last with "</w>", the lowest-ranked pair merged until none applies."""
    symbols = list(word[:-1]) + [word[-1] + "</w>"]
    while len(symbols) > 1:
        rank, i = min((ranks.get(pair, math.inf), i) for i, pair in enumerate(zip(symbols, symbols[1:])))
        if rank == math.inf:
            break
        symbols = symbols[:i] + [symbols[i] + symbols[i + 1]] + symbols[i + 2:]
    return symbols


def learn_bpe(texts):
    """Merges learned from the captions (most frequent pair first, ties by the pair's text) until every word is one token."""
    counts = {}
    for t in texts:
        for w in pre_tokenize(t):
            counts[w] = counts.get(w, 0) + 1
    words = {w: list(w[:-1]) + [w[-1] + "</w>"] for w in counts}
    merges = []
    while True:
        pairs = {}
        for w, symbols in words.items():
            for pair in zip(symbols, symbols[1:]):
                pairs[pair] = pairs.get(pair, 0) + counts[w]
        if not pairs:
            return merges
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        for w, symbols in words.items():
            out, i = [], 0
            while i < len(symbols):
                if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == best:
                    out.append(symbols[i] + symbols[i + 1])
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            words[w] = out


class Tokenizer:
    def __init__(self, merges):
        chars = list(BYTE_CHARS.values())
        self.vocab = {}
        for token in chars + [c + "</w>" for c in chars] + [a + b for a, b in merges]:
            self.vocab.setdefault(token, len(self.vocab))
        self.bos = len(self.vocab)
        self.eos = self.bos + 1  # the largest id, as in CLIP
        self.merges = merges
        self.ranks = {pair: i for i, pair in enumerate(merges)}

    @property
    def size(self):
        return self.eos + 1

    @functools.lru_cache(maxsize=None)
    def encode(self, text):
        ids = [self.bos]
        for w in pre_tokenize(text):
            ids += [self.vocab[s] for s in bpe(w, self.ranks)]
        ids = ids[:CONTEXT - 1] + [self.eos]
        return ids

    def batch(self, texts, length=CONTEXT):
        """input_ids padded with <|endoftext|> (as plugin-clip pads) and attention_mask."""
        ids = torch.full((len(texts), length), self.eos, dtype=torch.int64)
        mask = torch.zeros((len(texts), length), dtype=torch.int64)
        for i, t in enumerate(texts):
            e = self.encode(t)[:length]
            ids[i, :len(e)] = torch.tensor(e)
            mask[i, :len(e)] = 1
        return ids, mask

    def json(self):
        """Shaped like openai/clip-vit-base-patch32's tokenizer.json."""
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [
                {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                 "normalized": True, "special": True} for t, i in [(BOS_TOKEN, self.bos), (EOS_TOKEN, self.eos)]],
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "NFC"},
                {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "},
                {"type": "Lowercase"}]},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|"
                                                       "[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"},
                 "behavior": "Removed", "invert": True},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
            "post_processor": {"type": "RobertaProcessing", "sep": [EOS_TOKEN, self.eos], "cls": [BOS_TOKEN, self.bos],
                               "trim_offsets": False, "add_prefix_space": False},
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
            "model": {"type": "BPE", "dropout": None, "unk_token": EOS_TOKEN, "continuing_subword_prefix": "",
                      "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False,
                      "vocab": {**self.vocab, BOS_TOKEN: self.bos, EOS_TOKEN: self.eos},
                      "merges": [a + " " + b for a, b in self.merges]},
        }


# ---------------------------------------------------------------- model

class Block(torch.nn.Module):
    """Pre-norm transformer block: x + attention(ln(x)), then x + mlp(ln(x)) (CLIP's text transformer)."""

    def __init__(self):
        super().__init__()
        self.ln1 = torch.nn.LayerNorm(WIDTH)
        self.qkv = torch.nn.Linear(WIDTH, 3 * WIDTH)
        self.out = torch.nn.Linear(WIDTH, WIDTH)
        self.ln2 = torch.nn.LayerNorm(WIDTH)
        self.fc1 = torch.nn.Linear(WIDTH, 4 * WIDTH)
        self.fc2 = torch.nn.Linear(4 * WIDTH, WIDTH)

    def forward(self, x, bias):
        b, n, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).reshape(b, n, 3, HEADS, WIDTH // HEADS).permute(2, 0, 3, 1, 4)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(WIDTH // HEADS) + bias, dim=-1)
        x = x + self.out((att @ v).transpose(1, 2).reshape(b, n, WIDTH))
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class TextTower(torch.nn.Module):
    def __init__(self, vocab_size, eos):
        super().__init__()
        self.eos = eos
        self.token = torch.nn.Embedding(vocab_size, WIDTH)
        self.position = torch.nn.Parameter(torch.randn(POSITIONS, WIDTH) * 0.01)
        self.blocks = torch.nn.ModuleList([Block() for _ in range(LAYERS)])
        self.ln = torch.nn.LayerNorm(WIDTH)
        self.proj = torch.nn.Linear(WIDTH, DIM, bias=False)
        torch.nn.init.normal_(self.token.weight, std=0.02)

    def hidden(self, input_ids, attention_mask):
        """The final layer-normed hidden states (last_hidden_state)."""
        n = input_ids.shape[1]
        x = self.token(input_ids) + self.position[:n]
        causal = torch.triu(torch.full((n, n), -1e9), diagonal=1)
        padding = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -1e9
        bias = causal + padding
        for block in self.blocks:
            x = block(x, bias)
        return self.ln(x)

    def forward(self, input_ids, attention_mask):
        x = self.hidden(input_ids, attention_mask)
        # The hidden state at the first <|endoftext|> (CLIP pools there).
        at = (input_ids == self.eos).to(torch.int32).argmax(dim=-1)
        pooled = x.gather(1, at.long().reshape(-1, 1, 1).expand(-1, 1, WIDTH)).squeeze(1)
        return self.proj(pooled)


class ImageTower(torch.nn.Module):
    def __init__(self):
        super().__init__()

        def block(cin, cout):
            return [torch.nn.Conv2d(cin, cout, 3, padding=1, bias=False), torch.nn.BatchNorm2d(cout), torch.nn.ReLU()]

        self.features = torch.nn.Sequential(*block(3, 16), torch.nn.MaxPool2d(2), *block(16, 32), torch.nn.MaxPool2d(2),
                                            *block(32, 64))
        self.proj = torch.nn.Linear(64, DIM)

    def forward(self, pixel_values):
        return self.proj(self.features(pixel_values).mean(dim=(2, 3)))


class FashionClip(torch.nn.Module):
    def __init__(self, tokenizer):
        super().__init__()
        self.text = TextTower(tokenizer.size, tokenizer.eos)
        self.vision = ImageTower()
        self.logit_scale = torch.nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def scale(self):
        return self.logit_scale.clamp(max=math.log(MAX_LOGIT_SCALE)).exp()

    def embed_text(self, ids, mask):
        return F.normalize(self.text(ids, mask), dim=-1)

    def embed_images(self, pixels):
        return F.normalize(self.vision(pixels), dim=-1)


# ---------------------------------------------------------------- training and evaluation

def captions_for(labels, rng):
    return [rng.choice(TEMPLATES).format(rng.choice(NAMES[c])) for c in labels]


def train(model, tok, images, labels, log):
    rng = random.Random(SEED)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    steps = EPOCHS * (len(images) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=steps, pct_start=0.1)
    pixels = pixel_values(images)
    step = 0
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(len(images))
        t0, total = time.time(), 0.0
        for start in range(0, len(images) - BATCH + 1, BATCH):
            idx = order[start:start + BATCH]
            y = torch.from_numpy(labels[idx.numpy()])
            caps = captions_for(y.tolist(), rng)
            # Each distinct caption is encoded once (a batch repeats many of them).
            unique = sorted(set(caps))
            which = torch.tensor([unique.index(c) for c in caps])
            longest = max(len(tok.encode(c)) for c in unique)
            ids, mask = tok.batch(unique, longest)
            x = pixels[idx]
            # Random shifts of up to 2 pixels (rolled: Fashion-MNIST's borders are black, so black comes in).
            dx, dy = rng.randint(-2, 2), rng.randint(-2, 2)
            x = torch.roll(x, shifts=(dy, dx), dims=(2, 3))
            img = model.embed_images(x)
            txt = model.embed_text(ids, mask)[which]
            logits = model.scale() * img @ txt.t()
            same = (y[:, None] == y[None, :]).float()
            target = same / same.sum(dim=1, keepdim=True)
            loss = 0.5 * (torch.sum(-target * F.log_softmax(logits, 1), 1).mean()
                          + torch.sum(-target * F.log_softmax(logits.t(), 1), 1).mean())
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            total += loss.item()
        log("epoch %d/%d loss %.4f logit scale %.1f (%.0f s)" % (epoch + 1, EPOCHS, total / (len(images) // BATCH),
                                                                    model.scale().item(), time.time() - t0))


@torch.no_grad()
def zero_shot_predictions(model, tok, images, templates, names):
    """clip.zero-shot's rule: each class is the normalised mean of its captions' embeddings; the nearest class wins."""
    model.eval()
    classes = []
    for name in names:
        ids, mask = tok.batch([t.format(name) for t in templates])
        classes.append(F.normalize(model.embed_text(ids, mask).mean(0), dim=0))
    classes = torch.stack(classes)
    pixels = pixel_values(images)
    return torch.cat([(model.embed_images(pixels[s:s + 1000]) @ classes.t()).argmax(1)
                      for s in range(0, len(images), 1000)]).numpy()


def zero_shot(model, tok, images, labels, templates, names):
    return float((zero_shot_predictions(model, tok, images, templates, names) == labels).mean())


# ---------------------------------------------------------------- export

class TextExport(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model.text(input_ids, attention_mask), self.model.text.hidden(input_ids, attention_mask)


class VisionExport(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, pixel_values):
        return self.model.vision(pixel_values)


def export(model, tok, out):
    model.eval()
    ids, mask = tok.batch(["a photo of a dress.", "a bag"])
    pixels = torch.zeros(3, 3, SIDE, SIDE)
    text_axes = {"input_ids": {0: "text_batch_size", 1: "sequence_length"},
                 "attention_mask": {0: "text_batch_size", 1: "sequence_length"}}
    with torch.no_grad():
        torch.onnx.export(TextExport(model), (ids, mask), os.path.join(out, "text_model.onnx"), opset_version=14,
                          do_constant_folding=True, input_names=["input_ids", "attention_mask"],
                          output_names=["text_embeds", "last_hidden_state"],
                          dynamic_axes={**text_axes, "text_embeds": {0: "text_batch_size"},
                                        "last_hidden_state": {0: "text_batch_size", 1: "sequence_length"}})
        torch.onnx.export(VisionExport(model), (pixels,), os.path.join(out, "vision_model.onnx"), opset_version=14,
                          do_constant_folding=True, input_names=["pixel_values"], output_names=["image_embeds"],
                          dynamic_axes={"pixel_values": {0: "image_batch_size"}, "image_embeds": {0: "image_batch_size"}})
    for name in ("text_model.onnx", "vision_model.onnx"):
        onnx.checker.check_model(onnx.load(os.path.join(out, name)))
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tok.json(), f, indent=1, ensure_ascii=False)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({"model_type": "clip", "projection_dim": DIM, "logit_scale": model.scale().item(),
                   "text_config": {"max_position_embeddings": CONTEXT, "vocab_size": tok.size, "hidden_size": WIDTH,
                                   "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
                                   "bos_token_id": tok.bos, "eos_token_id": tok.eos, "pad_token_id": tok.eos},
                   "vision_config": {"image_size": SIDE, "num_channels": 3}}, f, indent=1)
    with open(os.path.join(out, "preprocessor_config.json"), "w") as f:
        json.dump({"crop_size": {"height": SIDE, "width": SIDE}, "do_center_crop": True, "do_convert_rgb": True,
                   "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": MEAN, "image_std": STD,
                   "resample": 3, "rescale_factor": 1 / 255, "size": {"shortest_edge": SIDE},
                   "image_processor_type": "CLIPImageProcessor"}, f, indent=1)


def write_sums(out):
    """SHA256SUMS (sha256sum's format) of the folder's files: plugin-clip verifies them when it extracts the model."""
    lines = []
    for name in sorted(os.listdir(out)):
        if name != "SHA256SUMS":
            with open(os.path.join(out, name), "rb") as f:
                lines.append("%s  %s\n" % (hashlib.sha256(f.read()).hexdigest(), name))
    with open(os.path.join(out, "SHA256SUMS"), "w") as f:
        f.writelines(lines)


@torch.no_grad()
def reference(model, tok, test_images, test_labels):
    """What the Java tests compare: token ids of every training caption, embeddings of a few images and captions,
    and the zero-shot predictions on the first 1,000 test images."""
    model.eval()
    captions = sorted({t.format(n) for t in TEMPLATES for names in NAMES for n in names})
    probe = ["a photo of a T-shirt/top.", "a photo of a sneaker.", "an ankle boot, seen from the side"]
    ids, mask = tok.batch(probe)
    first = 1000
    predicted = zero_shot_predictions(model, tok, test_images[:first], [ZERO_SHOT_TEMPLATE], [n[0] for n in NAMES])
    return {
        "zeroShotTemplate": ZERO_SHOT_TEMPLATE,
        "zeroShotPredictions": [int(v) for v in predicted],
        "zeroShotCorrect": int((predicted == test_labels[:first]).sum()),
        "tokenIds": {c: tok.encode(c) for c in captions},
        "testImages": list(range(4)),
        "testLabels": [int(v) for v in test_labels[:4]],
        "imageEmbeds": model.embed_images(pixel_values(test_images[:4])).tolist(),
        "captions": probe,
        "textEmbeds": model.embed_text(ids, mask).tolist(),
        "logitScale": model.scale().item(),
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    module = os.path.normpath(os.path.join(here, "..", "..", ".."))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--out", default=os.path.join(module, "src", "main", "resources", "dlx", "clip", "fashion-clip"))
    p.add_argument("--reference", default=os.path.join(module, "src", "test", "resources", "fashion-clip-reference.json"))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--checkpoint", help="also save the trained weights to this file")
    p.add_argument("--export-only", help="export saved weights (from --checkpoint) without training")
    args = p.parse_args()
    torch.manual_seed(SEED)
    random.seed(SEED)
    torch.set_num_threads(args.threads)
    train_images, train_labels = load_split(args.data, "train")
    test_images, test_labels = load_split(args.data, "t10k")
    tok = Tokenizer(learn_bpe([t.format(n) for t in TEMPLATES for names in NAMES for n in names]))
    model = FashionClip(tok)
    print("vocabulary %d tokens (%d merges); %d parameters" % (tok.size, len(tok.merges),
                                                              sum(p.numel() for p in model.parameters())), flush=True)
    if args.export_only:
        saved = torch.load(args.export_only)
        model.load_state_dict(saved["model"])
        seconds = saved["trainSeconds"]
    else:
        t0 = time.time()
        train(model, tok, train_images, train_labels, lambda s: print(s, flush=True))
        seconds = time.time() - t0
        if args.checkpoint:
            torch.save({"model": model.state_dict(), "trainSeconds": seconds}, args.checkpoint)
    class_names = [names[0] for names in NAMES]
    acc = zero_shot(model, tok, test_images, test_labels, [ZERO_SHOT_TEMPLATE], class_names)
    acc_ensemble = zero_shot(model, tok, test_images, test_labels, TEMPLATES, class_names)
    print("zero-shot accuracy on the 10,000 test images: %.4f ('%s'), %.4f (all %d templates)"
          % (acc, ZERO_SHOT_TEMPLATE, acc_ensemble, len(TEMPLATES)), flush=True)
    os.makedirs(args.out, exist_ok=True)
    export(model, tok, args.out)
    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump({"script": "plugin-clip/src/main/python/train_fashion_clip.py", "seed": SEED, "epochs": EPOCHS,
                   "batchSize": BATCH, "learningRate": LR, "weightDecay": WEIGHT_DECAY, "trainImages": len(train_images),
                   "parameters": sum(p.numel() for p in model.parameters()), "vocabulary": tok.size,
                   "torch": torch.__version__, "onnx": onnx.__version__, "trainSeconds": round(seconds, 1),
                   "logitScale": model.scale().item(),
                   "zeroShotAccuracy": {"template": ZERO_SHOT_TEMPLATE, "testImages": len(test_images), "accuracy": acc},
                   "zeroShotAccuracyAllTemplates": acc_ensemble}, f, indent=1)
    write_sums(args.out)
    with open(args.reference, "w") as f:
        json.dump(reference(model, tok, test_images, test_labels), f, indent=1)
    print("wrote", args.out, "and", args.reference)


if __name__ == "__main__":
    main()
