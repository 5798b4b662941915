#!/usr/bin/env bash
# Trains and exports the three shipped models. Every step resumes where an interrupted run stopped.
# These are the commands that made the shipped models, in order; each model card records its own final command.
# The first block (session 10) is kept because the shipped float model continues from its checkpoint.
# CPU-budget note: the float run was resumed at epoch 4 with its cosine schedule shortened from 15 to 10 epochs,
# the TTQ and DLAC fine-tunes started from the float checkpoint of epoch 8, and the TTQ run was resumed after
# its first epoch with its schedule shortened from 3 to 2 epochs. More epochs should reach higher accuracy.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
$PY training/export.py --dataset
$PY training/train.py --mode float --epochs 15 --lr 0.1 --wd 5e-4 --threads 2   # interrupted after epoch 3
$PY training/train.py --mode float --epochs 10 --lr 0.1 --wd 5e-4 --reschedule-at 4 --threads 1 &
FLOAT=$!
while [ ! -f training/runs/float/checkpoint.pt ] || ! $PY -c "import torch,sys; sys.exit(0 if torch.load('training/runs/float/checkpoint.pt')['epoch']>=8 else 1)"; do sleep 30; done
cp training/runs/float/checkpoint.pt training/runs/float-epoch8.pt
$PY training/train.py --mode ttq --epochs 2 --reschedule-at 1 --lr 0.02 --wd 2e-4 --t 0.05 --init training/runs/float-epoch8.pt --threads 1 &
$PY training/train.py --mode dlac --epochs 2 --lr 0.02 --wd 2e-4 --theta 0.25 --init training/runs/float-epoch8.pt --threads 1 &
wait
# Session 11: the float model above reached 93.15 %, short of the 93.5 % target. Ten more epochs from its last
# checkpoint, a cosine schedule restarted at lr 0.05 (a warm restart, seed 2), then a TTQ fine-tune from
# that model. The cards' `initialisedFrom` records the chain.
$PY training/train.py --mode float --init training/runs/float/checkpoint.pt --epochs 10 --lr 0.05 --wd 5e-4 --seed 2 \
  --threads 1 --run-dir training/runs/float-restart
$PY training/train.py --mode ttq --epochs 2 --lr 0.02 --wd 2e-4 --t 0.05 --init training/runs/float-restart/checkpoint.pt \
  --threads 1 --run-dir training/runs/ttq2 &
wait
$PY training/export.py --mode float --run-dir training/runs/float-restart
$PY training/export.py --mode ttq --run-dir training/runs/ttq2
$PY training/export.py --mode dlac   # the DLAC model of session 10 (91.45 %) stays the shipped one, see below
# Tried and not shipped: DLAC fine-tuned from the new float model reached only 88.71 % (2 epochs, lr 0.02) and
# 89.65 % (4 epochs, --run-dir training/runs/dlac3), below the session-10 DLAC model's 91.45 %, which was
# initialised from epoch 8 of the same float lineage (the float run the shipped float model continues):
# $PY training/train.py --mode dlac --epochs 4 --lr 0.02 --wd 2e-4 --theta 0.25 \
#   --init training/runs/float-restart/checkpoint.pt --threads 1 --run-dir training/runs/dlac3
