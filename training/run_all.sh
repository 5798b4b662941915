#!/usr/bin/env bash
# Trains and exports the three shipped models in order (each step resumes where an interrupted run stopped).
# The exact commands are recorded in each model card. Takes about 1-2 hours on 2 CPU cores.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
$PY training/train.py --mode float --epochs 10 --lr 0.1 --wd 5e-4 --reschedule-at 4 --threads 1
# TTQ and DLAC fine-tune from the float checkpoint; they run side by side with one thread each.
$PY training/train.py --mode ttq --epochs 3 --lr 0.02 --wd 2e-4 --t 0.05 --init training/runs/float/checkpoint.pt --threads 1 &
$PY training/train.py --mode dlac --epochs 3 --lr 0.02 --wd 2e-4 --theta 0.25 --init training/runs/float/checkpoint.pt --threads 1 &
wait
$PY training/export.py --dataset
for m in float ttq dlac; do $PY training/export.py --mode $m; done
