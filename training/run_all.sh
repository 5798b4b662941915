#!/usr/bin/env bash
# Trains and exports the three shipped models (each step resumes where an interrupted run stopped).
# These are the commands that made the shipped models; each model card records its own.
# Budget note: the float run was resumed at epoch 4 with its cosine schedule shortened to 10 epochs, and the
# TTQ and DLAC fine-tunes started from the float checkpoint of epoch 8 so that all three fit the CPU time we had.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
$PY training/train.py --mode float --epochs 15 --lr 0.1 --wd 5e-4 --threads 2 &   # epochs 1-3
wait
$PY training/train.py --mode float --epochs 10 --lr 0.1 --wd 5e-4 --reschedule-at 4 --threads 1 &  # epochs 4-8
wait
cp training/runs/float/checkpoint.pt training/runs/float-epoch8.pt
$PY training/train.py --mode float --epochs 10 --lr 0.1 --wd 5e-4 --reschedule-at 4 --threads 1 &  # epochs 9-10
$PY training/train.py --mode ttq --epochs 3 --lr 0.02 --wd 2e-4 --t 0.05 --init training/runs/float-epoch8.pt --threads 1 &  # killed after epoch 1, then:
# $PY training/train.py --mode ttq --epochs 2 --reschedule-at 1 --lr 0.02 --wd 2e-4 --t 0.05 --init training/runs/float-epoch8.pt --threads 1
$PY training/train.py --mode dlac --epochs 2 --lr 0.02 --wd 2e-4 --theta 0.25 --init training/runs/float-epoch8.pt --threads 1 &
wait
$PY training/export.py --dataset
for m in float ttq dlac; do $PY training/export.py --mode $m; done
