#!/usr/bin/env python3
"""Train the Fashion-MNIST ResNet-20 models that Effectual ships (float, TTQ ternary, DLAC recipe).

Run with Debian's PyTorch:  /usr/bin/python3 training/train.py --mode float|ttq|dlac [options]
See training/README.md for the exact commands used for the shipped models. Every run is seeded,
checkpointed after each epoch under training/runs/<mode>/ and resumable (just rerun the same command).
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA_DIR = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.2860, 0.3530  # Fashion-MNIST training-set pixel mean/std (pixels scaled to [0, 1])
ROOT = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- data
def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_split(split):
    prefix = "train" if split == "train" else "t10k"
    x = read_idx(os.path.join(DATA_DIR, f"{prefix}-images-idx3-ubyte.gz"))
    y = read_idx(os.path.join(DATA_DIR, f"{prefix}-labels-idx1-ubyte.gz"))
    return x, y


def normalise(x_uint8):
    x = torch.from_numpy(x_uint8.astype(np.float32) / 255.0)
    return ((x - MEAN) / STD).unsqueeze(1)


def augment(xb, gen):
    """Random crop with 2-pixel zero padding (in normalised space padding is the value of a black pixel) and horizontal flip."""
    n = xb.shape[0]
    pad_value = (0.0 - MEAN) / STD
    padded = F.pad(xb, (2, 2, 2, 2), value=pad_value)
    dx = torch.randint(0, 5, (n,), generator=gen)
    dy = torch.randint(0, 5, (n,), generator=gen)
    flip = torch.rand(n, generator=gen) < 0.5
    out = torch.empty_like(xb)
    for i in range(n):
        crop = padded[i, :, dy[i] : dy[i] + 28, dx[i] : dx[i] + 28]
        out[i] = torch.flip(crop, dims=[2]) if flip[i] else crop
    return out


# ---------------------------------------------------------------- quantised weights
class TTQFunction(torch.autograd.Function):
    """TTQ (Zhu et al. 2017) with the reference's scaled straight-through gradients (quantization.md §16)."""

    @staticmethod
    def forward(ctx, w, wp, wn, t):
        delta = t * w.abs().max()
        pos = (w > delta).to(w.dtype)
        neg = (w < -delta).to(w.dtype)
        ctx.save_for_backward(pos, neg, wp, wn)
        return wp * pos - wn * neg

    @staticmethod
    def backward(ctx, g):
        pos, neg, wp, wn = ctx.saved_tensors
        mid = 1.0 - pos - neg
        gw = g * (wp * pos + mid + wn * neg)
        gwp = (g * pos).sum().reshape(wp.shape)
        gwn = -(g * neg).sum().reshape(wn.shape)
        return gw, gwp, gwn, None


def twn_ternarise(w):
    delta = 0.7 * w.abs().mean()
    code = (w > delta).to(w.dtype) - (w < -delta).to(w.dtype)
    nz = code != 0
    alpha = w.abs()[nz].mean() if nz.any() else torch.zeros((), dtype=w.dtype)
    return code, alpha


class TWNFunction(torch.autograd.Function):
    """TWN with a plain straight-through estimator: dL/dw := dL/dw_t."""

    @staticmethod
    def forward(ctx, w):
        code, alpha = twn_ternarise(w)
        return alpha * code

    @staticmethod
    def backward(ctx, g):
        return g


class QuantConv(nn.Conv2d):
    def __init__(self, *a, quant="none", t=0.05, **k):
        super().__init__(*a, **k)
        self.quant = quant
        self.t = t
        if quant == "ttq":
            self.wp = nn.Parameter(torch.ones(1))
            self.wn = nn.Parameter(torch.ones(1))

    def effective_weight(self):
        if self.quant == "ttq":
            return TTQFunction.apply(self.weight, self.wp.abs(), self.wn.abs(), self.t)
        if self.quant == "twn":
            return TWNFunction.apply(self.weight)
        return self.weight

    def forward(self, x):
        return F.conv2d(x, self.effective_weight(), self.bias, self.stride, self.padding)


class QuantLinear(nn.Linear):
    def __init__(self, *a, quant="none", t=0.05, **k):
        super().__init__(*a, **k)
        self.quant = quant
        self.t = t
        if quant == "ttq":
            self.wp = nn.Parameter(torch.ones(1))
            self.wn = nn.Parameter(torch.ones(1))

    def effective_weight(self):
        if self.quant == "ttq":
            return TTQFunction.apply(self.weight, self.wp.abs(), self.wn.abs(), self.t)
        if self.quant == "twn":
            return TWNFunction.apply(self.weight)
        return self.weight

    def forward(self, x):
        return F.linear(x, self.effective_weight(), self.bias)


# ---------------------------------------------------------------- activations
class ThresholdedReluFn(torch.autograd.Function):
    """y = x if x > theta else 0; exported as ONNX ThresholdedRelu(alpha=theta)."""

    @staticmethod
    def forward(ctx, x, theta):
        mask = x > theta
        ctx.save_for_backward(mask)
        return x * mask

    @staticmethod
    def backward(ctx, g):
        (mask,) = ctx.saved_tensors
        return g * mask, None

    @staticmethod
    def symbolic(g, x, theta):
        return g.op("ThresholdedRelu", x, alpha_f=float(theta))


class Act(nn.Module):
    def __init__(self, theta=0.0):
        super().__init__()
        self.theta = theta
        self.last = None  # kept for the optional L1 activation regulariser

    def forward(self, x):
        y = F.relu(x) if self.theta <= 0 else ThresholdedReluFn.apply(x, self.theta)
        self.last = y
        return y


# ---------------------------------------------------------------- network
class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride, quant, theta, t):
        super().__init__()
        self.conv1 = QuantConv(cin, cout, 3, stride=stride, padding=1, bias=False, quant=quant, t=t)
        self.bn1 = nn.BatchNorm2d(cout)
        self.act1 = Act(theta)
        self.conv2 = QuantConv(cout, cout, 3, stride=1, padding=1, bias=False, quant=quant, t=t)
        self.bn2 = nn.BatchNorm2d(cout)
        self.act2 = Act(theta)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(
                QuantConv(cin, cout, 1, stride=stride, bias=False, quant=quant, t=t), nn.BatchNorm2d(cout)
            )

    def forward(self, x):
        out = self.act1(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        short = x if self.down is None else self.down(x)
        return self.act2(out + short)


class ResNet20(nn.Module):
    """CIFAR-style ResNet-20 (He et al. 2016): 3 stages x 3 basic blocks, 16/32/64 channels, 1x1 conv downsample."""

    def __init__(self, quant="none", theta=0.0, t=0.05, quant_fc=False):
        super().__init__()
        self.conv1 = QuantConv(1, 16, 3, padding=1, bias=False, quant="none")  # first conv stays float
        self.bn1 = nn.BatchNorm2d(16)
        self.act1 = Act(theta)
        blocks, cin = [], 16
        for stage, cout in enumerate([16, 32, 64]):
            for b in range(3):
                stride = 2 if (stage > 0 and b == 0) else 1
                blocks.append(BasicBlock(cin, cout, stride, quant, theta, t))
                cin = cout
        self.layers = nn.Sequential(*blocks)
        self.fc = QuantLinear(64, 10, quant=quant if quant_fc else "none", t=t)

    def forward(self, x):
        x = self.act1(self.bn1(self.conv1(x)))
        x = self.layers(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)

    def quant_layers(self):
        return [m for m in self.modules() if isinstance(m, (QuantConv, QuantLinear)) and m.quant != "none"]

    def acts(self):
        return [m for m in self.modules() if isinstance(m, Act)]


def build(args):
    quant = {"float": "none", "ttq": "ttq", "dlac": "twn"}[args.mode]
    theta = args.theta if args.mode == "dlac" else 0.0
    return ResNet20(quant=quant, theta=theta, t=args.t, quant_fc=args.quant_fc)


# ---------------------------------------------------------------- train / eval
def evaluate(model, x, y, batch=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i : i + batch]).argmax(1) == y[i : i + batch]).sum().item()
    return correct / len(x)


def init_from_float(model, path):
    state = torch.load(path, map_location="cpu")["model"]
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected, unexpected
    assert all(k.endswith(".wp") or k.endswith(".wn") for k in missing), missing
    with torch.no_grad():
        for m in model.quant_layers():
            if m.quant == "ttq":  # post-training fit (quantization.md §7) as the starting scales
                w = m.weight
                delta = m.t * w.abs().max()
                pos, neg = w[w > delta], w[w < -delta]
                m.wp.fill_(pos.mean().item() if pos.numel() else 1.0)
                m.wn.fill_((-neg).mean().item() if neg.numel() else 1.0)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--mode", choices=["float", "ttq", "dlac"], required=True)
    p.add_argument("--epochs", type=int, default=15)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--wd", type=float, default=5e-4)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--t", type=float, default=0.05, help="TTQ threshold factor")
    p.add_argument("--theta", type=float, default=0.0, help="DLAC: fixed ReLU threshold for every activation")
    p.add_argument("--act-l1", type=float, default=0.0, help="DLAC: L1 activation regulariser weight")
    p.add_argument("--quant-fc", action="store_true", help="ternarise the last FC too (TTQ reference CIFAR script)")
    p.add_argument("--init", default=None, help="float checkpoint to fine-tune from")
    p.add_argument("--train-subset", type=int, default=0, help="use only the first N training images (smoke test)")
    p.add_argument("--test-subset", type=int, default=0, help="evaluate on the first N test images only (smoke test)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--run-dir", default=None)
    p.add_argument("--reschedule-at", type=int, default=0,
                   help="when resuming at this epoch with a different --epochs, restart the cosine schedule from the current "
                        "learning rate over the remaining epochs (recorded in the model card)")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    run_dir = args.run_dir or os.path.join(ROOT, "runs", args.mode)
    os.makedirs(run_dir, exist_ok=True)
    ckpt_path = os.path.join(run_dir, "checkpoint.pt")

    xtr, ytr = load_split("train")
    xte, yte = load_split("test")
    if args.train_subset:
        xtr, ytr = xtr[: args.train_subset], ytr[: args.train_subset]
    if args.test_subset:
        xte, yte = xte[: args.test_subset], yte[: args.test_subset]
    xtr, xte = normalise(xtr), normalise(xte)
    ytr, yte = torch.from_numpy(ytr.astype(np.int64)), torch.from_numpy(yte.astype(np.int64))

    model = build(args).to(memory_format=torch.channels_last)  # ~25% faster convolutions on CPU
    scale_params = [p_ for n, p_ in model.named_parameters() if n.endswith(".wp") or n.endswith(".wn")]
    other = [p_ for n, p_ in model.named_parameters() if not (n.endswith(".wp") or n.endswith(".wn"))]
    groups = [{"params": other, "weight_decay": args.wd}]
    if scale_params:
        groups.append({"params": scale_params, "weight_decay": 0.0})
    opt = torch.optim.SGD(groups, lr=args.lr, momentum=0.9, nesterov=True)
    steps_per_epoch = (len(xtr) + args.batch - 1) // args.batch
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs * steps_per_epoch)

    start_epoch, history, elapsed = 0, [], 0.0
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location="cpu")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        sched.load_state_dict(ck["sched"])
        start_epoch, history, elapsed = ck["epoch"], ck["history"], ck["elapsed"]
        torch.set_rng_state(ck["rng"])
        print(f"resumed at epoch {start_epoch}")
        if args.reschedule_at and start_epoch == args.reschedule_at:
            for g in opt.param_groups:
                g["initial_lr"] = g["lr"]
            sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=(args.epochs - start_epoch) * steps_per_epoch)
            print(f"cosine schedule restarted at lr {opt.param_groups[0]['lr']:.4f} over {args.epochs - start_epoch} epochs")
    elif args.init:
        init_from_float(model, args.init)
        print(f"initialised from {args.init}: test acc {evaluate(model, xte, yte):.4f}")

    gen = torch.Generator().manual_seed(args.seed)
    for epoch in range(start_epoch, args.epochs):
        gen.manual_seed(args.seed * 1000 + epoch)  # per-epoch stream so a resumed run repeats the same batches
        t0 = time.time()
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        tot_loss = 0.0
        for s in range(steps_per_epoch):
            idx = perm[s * args.batch : (s + 1) * args.batch]
            xb = augment(xtr[idx], gen).contiguous(memory_format=torch.channels_last)
            out = model(xb)
            loss = F.cross_entropy(out, ytr[idx])
            if args.act_l1 > 0:
                loss = loss + args.act_l1 * sum(a.last.abs().mean() for a in model.acts())
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot_loss += loss.item()
        acc = evaluate(model, xte, yte)
        dt = time.time() - t0
        elapsed += dt
        history.append({"epoch": epoch + 1, "loss": tot_loss / steps_per_epoch, "testAcc": acc, "seconds": dt})
        print(f"epoch {epoch + 1}/{args.epochs} loss {tot_loss / steps_per_epoch:.4f} test {acc:.4f} ({dt:.0f}s)", flush=True)
        torch.save(
            {"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "epoch": epoch + 1,
             "history": history, "elapsed": elapsed, "rng": torch.get_rng_state(), "args": vars(args)},
            ckpt_path + ".tmp",
        )
        os.replace(ckpt_path + ".tmp", ckpt_path)
    json.dump({"args": vars(args), "history": history, "elapsed": elapsed}, open(os.path.join(run_dir, "done.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
