/** Number of images whose largest logit (first one on ties) is at the label's index. */
export function top1(logits: Float32Array, classes: number, labels: ArrayLike<number>): number {
  let correct = 0;
  for (let img = 0; img < labels.length; img++) {
    const base = img * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[base + c] > logits[base + best]) best = c;
    if (best === labels[img]) correct++;
  }
  return correct;
}
