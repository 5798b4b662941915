#!/usr/bin/env python3
"""Export trained checkpoints to public/models: ONNX + model card + reference outputs, and the test subset.

  /usr/bin/python3 training/export.py --mode float|ttq|dlac [--run-dir DIR] [--out public/models]
  /usr/bin/python3 training/export.py --dataset        # writes public/models/fmnist-test.bin

Ternary layers are exported with their exact dequantised values (alpha*code or +Wp/-Wn), BatchNormalization is
kept as separate nodes (TrainingMode.PRESERVE: folding BN into the conv would destroy the ternary values), and
the DLAC thresholds are exported as ThresholdedRelu nodes. See docs/models.md.
"""
import argparse
import hashlib
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train as T  # noqa: E402

NAMES = {"float": "fmnist-resnet20", "ttq": "fmnist-resnet20-ttq", "dlac": "fmnist-resnet20-dlac"}
SUBSET = 1000  # images shipped in public/models/fmnist-test.bin
REFERENCE_IMAGES = 100  # images with PyTorch reference outputs


def write_dataset(out_dir):
    x, y = T.load_split("test")
    x, y = x[:SUBSET], y[:SUBSET]
    header = b"EFDS" + struct.pack("<IIIII", 1, SUBSET, 1, 28, 28) + struct.pack("<ff", T.MEAN, T.STD)
    with open(os.path.join(out_dir, "fmnist-test.bin"), "wb") as f:
        f.write(header + y.astype(np.uint8).tobytes() + x.astype(np.uint8).tobytes())
    print(f"wrote {SUBSET} test images")


def export_copy(model):
    """A float-only copy whose weights are the effective (ternary, scaled) weights."""
    exp = T.ResNet20(quant="none", theta=model.act1.theta)
    exp.load_state_dict({k: v for k, v in model.state_dict().items() if not (k.endswith(".wp") or k.endswith(".wn"))})
    src = dict(model.named_modules())
    with torch.no_grad():
        for name, m in exp.named_modules():
            if isinstance(m, (T.QuantConv, T.QuantLinear)):
                m.weight.copy_(src[name].effective_weight())
    return exp.eval()


def layer_modules(model):
    return [(n, m) for n, m in model.named_modules() if isinstance(m, (T.QuantConv, T.QuantLinear))]


def reference_outputs(model, x):
    captured = {}
    hooks = []
    for name, m in layer_modules(model):
        def hook(mod, inp, name=name):
            a = inp[0].double()
            captured[name] = {
                "shape": list(inp[0].shape),
                "sum": a.sum().item(),
                "sumAbs": a.abs().sum().item(),
                "sumSq": (a * a).sum().item(),
                "nonZero": int((a != 0).sum().item()),
            }
        hooks.append(m.register_forward_pre_hook(hook))
    with torch.no_grad():
        logits = model(x)
    for h in hooks:
        h.remove()
    return logits, captured


def act_sparsity(model, x):
    """Fraction of zeros in each conv/FC layer's input over the given images."""
    out = {}
    hooks = []
    for name, m in layer_modules(model):
        def hook(mod, inp, name=name):
            out[name] = float((inp[0] == 0).double().mean().item())
        hooks.append(m.register_forward_pre_hook(hook))
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return out


def lineage(args):
    """The chain of runs this checkpoint was initialised from (newest first), so a card accounts for every epoch."""
    chain, init = [], getattr(args, "init", None)
    while init:
        parent = torch.load(init, map_location="cpu")
        pargs = parent.get("args", {})
        chain.append({"checkpoint": os.path.relpath(init, os.path.join(T.ROOT, "..")), "mode": pargs.get("mode"),
                      "epochs": len(parent["history"]), "testAccuracy": parent["history"][-1]["testAcc"],
                      "trainingSeconds": round(parent["elapsed"], 1), "hyperParameters": pargs})
        init = pargs.get("init")
    return chain


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=list(NAMES))
    p.add_argument("--dataset", action="store_true")
    p.add_argument("--run-dir", default=None)
    p.add_argument("--out", default=os.path.join(T.ROOT, "..", "public", "models"))
    p.add_argument("--no-fixtures", action="store_true", help="do not write tests/fixtures/<model>.reference.json")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.dataset:
        write_dataset(a.out)
        return
    run_dir = a.run_dir or os.path.join(T.ROOT, "runs", a.mode)
    ck = torch.load(os.path.join(run_dir, "checkpoint.pt"), map_location="cpu")
    args = argparse.Namespace(**ck["args"])
    model = T.build(args)
    model.load_state_dict(ck["model"])
    model = model.to(memory_format=torch.contiguous_format).eval()
    exp = export_copy(model)

    xte, yte = T.load_split("test")
    x_all = T.normalise(xte)
    y_all = torch.from_numpy(yte.astype(np.int64))
    full_acc = T.evaluate(model, x_all, y_all)
    exp_acc = T.evaluate(exp, x_all, y_all)
    assert abs(full_acc - exp_acc) < 1e-3, (full_acc, exp_acc)
    subset_acc = T.evaluate(exp, x_all[:SUBSET], y_all[:SUBSET])

    name = NAMES[a.mode]
    onnx_path = os.path.join(a.out, f"{name}.onnx")
    torch.onnx.export(
        exp, torch.zeros(1, 1, 28, 28), onnx_path, opset_version=13, input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, training=torch.onnx.TrainingMode.PRESERVE,
        do_constant_folding=False,
    )

    layers = []
    quant_names = {n for n, m in layer_modules(model) if m.quant != "none"}
    for lname, m in layer_modules(exp):
        w = m.weight.detach()
        entry = {"name": lname, "shape": list(w.shape), "weightSparsity": float((w == 0).double().mean().item()),
                 "ternary": lname in quant_names}
        if lname in quant_names:
            distinct = torch.unique(w)
            assert len(distinct) <= 3, f"{lname} has {len(distinct)} distinct values after export"
            pos, neg = w[w > 0], w[w < 0]
            entry["wp"] = float(pos[0].item()) if pos.numel() else 0.0
            entry["wn"] = float(-neg[0].item()) if neg.numel() else 0.0
        layers.append(entry)

    logits, checks = reference_outputs(exp, x_all[:REFERENCE_IMAGES])
    sparsity = act_sparsity(exp, x_all[:REFERENCE_IMAGES])
    for entry in layers:
        entry["actSparsity100"] = sparsity[entry["name"]]

    parents = lineage(args)  # loads every ancestor checkpoint, so only once
    card = {
        "name": name,
        "architecture": "ResNet-20 (CIFAR-style: 3 stages x 3 basic blocks, 16/32/64 channels, 1x1-conv downsample), 28x28x1 input",
        "dataset": "Fashion-MNIST (Zalando Research, MIT licence)",
        "input": {"shape": [1, 1, 28, 28], "normalisation": {"mean": T.MEAN, "std": T.STD, "formula": "(pixel/255 - mean)/std"}},
        "testAccuracy": full_acc,
        "testImages": len(x_all),
        "subsetAccuracy": {"images": SUBSET, "top1": subset_acc},
        "epochs": len(ck["history"]),
        "initialisedFrom": parents,
        "totalEpochs": len(ck["history"]) + sum(c["epochs"] for c in parents),
        "seed": args.seed,
        "hyperParameters": {k: v for k, v in vars(args).items() if k not in ("run_dir", "threads", "train_subset", "test_subset")},
        "trainingSeconds": round(ck["elapsed"], 1),
        "totalTrainingSeconds": round(ck["elapsed"] + sum(c["trainingSeconds"] for c in parents), 1),
        "history": ck["history"],
        "layers": layers,
        "command": "/usr/bin/python3 training/train.py " + " ".join(
            f"--{k.replace('_', '-')} {v}" if not isinstance(v, bool) else (f"--{k.replace('_', '-')}" if v else "")
            for k, v in vars(args).items() if v is not None and k not in ("run_dir", "threads", "train_subset", "test_subset")).strip(),
        "onnxSha256": hashlib.sha256(open(onnx_path, "rb").read()).hexdigest(),
    }
    json.dump(card, open(os.path.join(a.out, f"{name}.card.json"), "w"), indent=1)
    ref = {"model": name, "images": REFERENCE_IMAGES, "logits": [[round(float(v), 6) for v in row] for row in logits],
           "layerInputs": checks, "labels": [int(v) for v in y_all[:REFERENCE_IMAGES]]}
    if not a.no_fixtures:
        json.dump(ref, open(os.path.join(T.ROOT, "..", "tests", "fixtures", f"{name}.reference.json"), "w"))
    print(f"{name}: test {full_acc:.4f}, subset {subset_acc:.4f}, exported to {onnx_path}")


if __name__ == "__main__":
    main()
