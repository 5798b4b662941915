/** Seeded synthetic layers for the value-sparsity model tests and timing (not real network data). */
import { mulberry32 } from '../../../../src/sim/prng';
import type { LayerGeometry } from '../../../../src/sim/types';
import type { AccelLayerInput } from '../../../../src/sim/accel/types';

/** Random codes in ±[1, maxCode], zero with probability `zeroFraction`. */
export function randomCodes(
  n: number,
  zeroFraction: number,
  seed: number,
  maxCode = 127,
  signed = true,
): Int32Array {
  const rnd = mulberry32(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (rnd() < zeroFraction) continue;
    const mag = 1 + Math.floor(rnd() * maxCode);
    out[i] = signed && rnd() < 0.5 ? -mag : mag;
  }
  return out;
}

export function layerInput(
  name: string,
  geometry: LayerGeometry,
  act: Int32Array,
  wgt: Int32Array,
  extra: Partial<AccelLayerInput> = {},
): AccelLayerInput {
  return { name, geometry, act, wgt, pa: 16, pw: 16, wb: 16, isFirst: false, ...extra };
}

export function conv(
  C: number,
  H: number,
  K: number,
  k: number,
  stride: number,
  pad: number,
  W = H,
): LayerGeometry {
  return { kind: 'conv', C, H, W, K, Kh: k, Kw: k, stride, pad };
}

export function fc(C: number, K: number): LayerGeometry {
  return { kind: 'fc', C, H: 1, W: 1, K, Kh: 1, Kw: 1, stride: 1, pad: 0 };
}

export function randomLayer(
  name: string,
  g: LayerGeometry,
  actZero: number,
  wgtZero: number,
  seed: number,
): AccelLayerInput {
  return layerInput(
    name,
    g,
    randomCodes(g.C * g.H * g.W, actZero, seed, 255, false),
    randomCodes(g.K * g.C * g.Kh * g.Kw, wgtZero, seed + 1, 1, true),
  );
}

/** ResNet-18 (torchvision) at 224², batch 1: ReLU-like inputs (about half zero), ternary weights (about 40 % zero). */
export function syntheticResNet18(seed = 7): AccelLayerInput[] {
  const layers: { name: string; g: LayerGeometry }[] = [{ name: 'conv1', g: conv(3, 224, 64, 7, 2, 3) }];
  const stages = [
    { C: 64, K: 64, H: 56 },
    { C: 64, K: 128, H: 56 },
    { C: 128, K: 256, H: 28 },
    { C: 256, K: 512, H: 14 },
  ];
  stages.forEach((st, si) => {
    const stride = si === 0 ? 1 : 2;
    const Ho = st.H / stride;
    layers.push({ name: `layer${si + 1}.0.conv1`, g: conv(st.C, st.H, st.K, 3, stride, 1) });
    layers.push({ name: `layer${si + 1}.0.conv2`, g: conv(st.K, Ho, st.K, 3, 1, 1) });
    if (stride === 2)
      layers.push({ name: `layer${si + 1}.0.downsample`, g: conv(st.C, st.H, st.K, 1, 2, 0) });
    layers.push({ name: `layer${si + 1}.1.conv1`, g: conv(st.K, Ho, st.K, 3, 1, 1) });
    layers.push({ name: `layer${si + 1}.1.conv2`, g: conv(st.K, Ho, st.K, 3, 1, 1) });
  });
  layers.push({ name: 'fc', g: fc(512, 1000) });
  return layers.map(({ name, g }, i) => {
    const first = i === 0;
    const input = randomLayer(
      name,
      g,
      first ? 0.02 : g.kind === 'fc' ? 0.05 : 0.5,
      first ? 0 : 0.4,
      seed + 17 * i,
    );
    if (first) input.wgt = randomCodes(input.wgt.length, 0, seed + 1000, 32767, true);
    return { ...input, isFirst: first, pointwiseOps: g.kind === 'fc' ? 0 : 2 };
  });
}
