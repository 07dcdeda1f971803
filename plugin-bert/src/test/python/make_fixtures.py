"""Makes the tiny encoder fixtures of plugin-bert's tests (run once; the outputs are committed).

Two random BERT-family encoders, a few kilobytes each, written the way an optimum/torch ONNX export
writes them (initializer names of the Hugging Face modules, anonymous MatMul weights, dynamic batch
and sequence axes):

  src/test/resources/fixtures/tiny-bert/     BERT layout: token_type_ids input, positions from 0,
                                             WordPiece tokenizer.json
  src/test/resources/fixtures/tiny-roberta/  RoBERTa layout as BERTweet: no token_type_ids input,
                                             positions from padding_idx + 1 over the non-padding
                                             tokens (Hugging Face's create_position_ids_from_input_ids),
                                             one token type, fastBPE vocab.txt + bpe.codes

The modules follow the layer structure of transformers' BertModel / RobertaModel. Needs only
python3-torch and python3-onnx (Debian packages). Usage: python3 make_fixtures.py <resources dir>
"""
import collections
import json
import os
import sys

import torch
import torch.nn as nn

torch.manual_seed(7)
HIDDEN, HEADS, LAYERS, INTER = 16, 2, 2, 32
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
         "plus", "minus"]


class Embeddings(nn.Module):
    def __init__(self, vocab, positions, types, roberta, pad):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, HIDDEN, padding_idx=pad)
        self.position_embeddings = nn.Embedding(positions, HIDDEN, padding_idx=pad if roberta else None)
        self.token_type_embeddings = nn.Embedding(types, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.roberta = roberta
        self.pad = pad

    def forward(self, ids, token_types):
        if self.roberta:
            mask = ids.ne(self.pad).int()
            pos = (torch.cumsum(mask, dim=1).type_as(mask) * mask).long() + self.pad
        else:
            pos = torch.arange(ids.shape[1], dtype=torch.long).unsqueeze(0).expand_as(ids)
        x = self.word_embeddings(ids) + self.token_type_embeddings(token_types) + self.position_embeddings(pos)
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)

    def split(self, x):
        b, t, _ = x.shape
        return x.view(b, t, HEADS, HIDDEN // HEADS).permute(0, 2, 1, 3)

    def forward(self, x, additive_mask):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / ((HIDDEN // HEADS) ** 0.5) + additive_mask
        ctx = torch.matmul(scores.softmax(-1), v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(x.shape[0], x.shape[1], HIDDEN)


class DenseNorm(nn.Module):
    def __init__(self, inp):
        super().__init__()
        self.dense = nn.Linear(inp, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=1e-12)

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        setattr(self, "self", SelfAttention())
        self.output = DenseNorm(HIDDEN)

    def forward(self, x, m):
        return self.output(getattr(self, "self")(x, m), x)


class Intermediate(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, INTER)

    def forward(self, x):
        return nn.functional.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = Attention()
        self.intermediate = Intermediate()
        self.output = DenseNorm(INTER)

    def forward(self, x, m):
        a = self.attention(x, m)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.ModuleList([Layer() for _ in range(LAYERS)])

    def forward(self, x, m):
        for layer in self.layer:
            x = layer(x, m)
        return x


class Model(nn.Module):
    def __init__(self, vocab, positions, types, roberta, pad):
        super().__init__()
        self.embeddings = Embeddings(vocab, positions, types, roberta, pad)
        self.encoder = Encoder()
        self.roberta = roberta

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        additive = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        return self.encoder(self.embeddings(input_ids, token_type_ids), additive)


def randomize(model):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name:
                p.copy_(1.0 + 0.1 * torch.randn_like(p) if name.endswith("weight") else 0.1 * torch.randn_like(p))
            else:
                p.copy_(0.3 * torch.randn_like(p))


def export(model, path, with_types):
    model.eval()
    ids = torch.tensor([[2, 5, 6, 7, 3], [2, 8, 3, 0, 0]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=torch.long)
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if with_types else [])
    args = (ids, mask, torch.zeros_like(ids)) if with_types else (ids, mask)
    axes = {n: {0: "batch_size", 1: "sequence_length"} for n in names}
    axes["last_hidden_state"] = {0: "batch_size", 1: "sequence_length"}
    torch.onnx.export(model, args, path, input_names=names, output_names=["last_hidden_state"],
                      dynamic_axes=axes, opset_version=14, do_constant_folding=True)


def tiny_bert(out):
    os.makedirs(out, exist_ok=True)
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {t: i for i, t in enumerate(specials + WORDS)}
    model = Model(len(vocab), 32, 2, roberta=False, pad=0)
    randomize(model)
    export(model, os.path.join(out, "model.onnx"), with_types=True)

    def special(tok):
        return {"id": vocab[tok], "content": tok, "single_word": False, "lstrip": False, "rstrip": False,
                "normalized": False, "special": True}
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [special(t) for t in specials],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [vocab[t]], "tokens": [t]} for t in ["[CLS]", "[SEP]"]}},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab}}
    with open(os.path.join(out, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, indent=1)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({"model_type": "bert", "hidden_size": HIDDEN, "num_attention_heads": HEADS,
                   "num_hidden_layers": LAYERS, "intermediate_size": INTER, "pad_token_id": 0}, f, indent=1)


def learn_bpe(words, merges):
    """fastBPE-style merges: the most frequent adjacent pair, repeatedly; words end with </w>."""
    corpus = collections.Counter(words)
    split = {w: tuple(w[:-1]) + (w[-1] + "</w>",) for w in corpus}
    codes = []
    for _ in range(merges):
        pairs = collections.Counter()
        for w, n in corpus.items():
            s = split[w]
            for a, b in zip(s, s[1:]):
                pairs[(a, b)] += n
        if not pairs:
            break
        (a, b), n = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))
        codes.append((a, b, n))
        for w in corpus:
            s, out, i = split[w], [], 0
            while i < len(s):
                if i + 1 < len(s) and s[i] == a and s[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(s[i])
                    i += 1
            split[w] = tuple(out)
    return codes


def bpe(word, ranks):
    """BERTweet's BertweetTokenizer.bpe."""
    w = tuple(word[:-1]) + (word[-1] + "</w>",)
    while len(w) > 1:
        pairs = [(ranks.get((a, b), 1 << 30), (a, b)) for a, b in zip(w, w[1:])]
        r, (a, b) = min(pairs)
        if r == 1 << 30:
            break
        out, i = [], 0
        while i < len(w):
            if i + 1 < len(w) and w[i] == a and w[i + 1] == b:
                out.append(a + b)
                i += 2
            else:
                out.append(w[i])
                i += 1
        w = tuple(out)
    pieces = [p + "@@" for p in w[:-1]] + [w[-1][:-4] if w[-1].endswith("</w>") else w[-1]]
    return [p for p in pieces if p]


def tiny_roberta(out):
    os.makedirs(out, exist_ok=True)
    codes = learn_bpe(WORDS * 3 + ["seven", "eleven", "seventeen"], 30)
    ranks = {(a, b): i for i, (a, b, _) in enumerate(codes)}
    pieces = collections.Counter(p for w in WORDS for p in bpe(w, ranks))
    tokens = [p for p, _ in sorted(pieces.items(), key=lambda kv: (-kv[1], kv[0]))]
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for t in tokens:
        vocab[t] = len(vocab)
    vocab["<mask>"] = len(vocab)
    with open(os.path.join(out, "vocab.txt"), "w") as f:
        for t in tokens:
            f.write(f"{t} {pieces[t]}\n")
    with open(os.path.join(out, "bpe.codes"), "w") as f:
        for a, b, n in codes:
            f.write(f"{a} {b} {n}\n")
    with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "BertweetTokenizer", "normalization": False}, f, indent=1)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({"model_type": "roberta", "hidden_size": HIDDEN, "num_attention_heads": HEADS,
                   "num_hidden_layers": LAYERS, "intermediate_size": INTER, "pad_token_id": 1,
                   "max_position_embeddings": 34, "type_vocab_size": 1}, f, indent=1)
    # expected ids of a few texts, for the Java tokenizer test
    expected = {}
    for text in ["seven minus three", "seventeen plus twenty", "eleven minus eleven", "zero plus xyz"]:
        ids = [0] + [vocab.get(p, 3) for w in text.split() for p in bpe(w, ranks)] + [2]
        expected[text] = {"ids": ids, "pieces": [p for w in text.split() for p in bpe(w, ranks)]}
    with open(os.path.join(out, "expected-tokens.json"), "w") as f:
        json.dump(expected, f, indent=1)
    model = Model(len(vocab), 34, 1, roberta=True, pad=1)
    randomize(model)
    export(model, os.path.join(out, "model.onnx"), with_types=False)


if __name__ == "__main__":
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "resources")
    tiny_bert(os.path.join(root, "fixtures", "tiny-bert"))
    tiny_roberta(os.path.join(root, "fixtures", "tiny-roberta"))
