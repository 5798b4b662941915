import type { ShippedTour } from './types';

/**
 * Tours shipped with the app, telling the papers' stories on the shipped models. Figures in captions are
 * placeholders filled from the live report (template.ts), so the text stays true for whatever the models
 * and settings produce; comparisons with the papers say where our numbers differ.
 */
export const SHIPPED_TOURS: readonly ShippedTour[] = [
  {
    id: 'dlac-depth',
    title: 'Ternary weights and zero-skipping on DLAC',
    summary: 'Where the zeros come from, how DLAC skips them, and how its speedup changes with depth.',
    steps: [
      {
        preset: 'dlac',
        state: { view: 'overview' },
        caption:
          'The DLAC recipe (Venkatesh et al., ICASSP 2017): ternary TWN weights and a raised ReLU threshold θ = 0.25, trained into fmnist-resnet20-dlac. DLAC’s grid skips every multiply that has a zero operand. Whole network: {speedup:dlac} over the same grid without skipping.',
      },
      {
        state: { view: 'quant', layer: 'layers.4.conv1' },
        caption:
          'Where the zeros come from: in layers.4.conv1, {wsparsity:layers.4.conv1} of the ternary weights are zero and the threshold zeroes {asparsity:layers.4.conv1} of the input activations. Across the network, activation sparsity {trend:asparsity}.',
      },
      {
        state: { view: 'pe', gridAccel: 'dlac', layer: 'layers.0.conv1', cycle: 3 },
        caption:
          'One tile of layers.0.conv1 on the 16 × 16 PE grid; each PE has 8 output buffers (one accumulation per buffer per cycle). Step with , and . — buffers with no effectual pair left in the chunk sit idle until the grid moves to the next chunk of 16.',
      },
      {
        state: { view: 'overview', layer: 'layers.8.conv2' },
        predict: {
          question:
            'DLAC’s speedup on the first conv stage is {mean:dlac:layers.0.|layers.1.|layers.2.}. What do you expect on the last conv layer, layers.8.conv2?',
          answer: '{speedup:dlac:layers.8.conv2}',
        },
        caption:
          'Per layer DLAC reaches {range:dlac} (best {best:dlac}); first stage {mean:dlac:layers.0.|layers.1.|layers.2.}, last stage {mean:dlac:layers.6.|layers.7.|layers.8.}: on our model the speedup {trend:dlac}. The paper’s ResNet-34 figure (our reading, unverified) shows 1.8–5× rising with depth because deeper layers get sparser; our 20-layer network on 28 × 28 images need not follow it — compare the activation-sparsity trend in the Quantisation view.',
      },
      {
        state: { view: 'occupancy', gridAccel: 'dlac', layer: 'layers.8.conv2' },
        caption:
          'Why not 64× when most pairs are ineffectual? Occupancy on layers.8.conv2 is {occupancy:dlac:layers.8.conv2}: a PE takes as long as its busiest buffer, and the whole grid waits for its slowest PE at every chunk.',
      },
      {
        state: {
          view: 'compare',
          b: { m: 'fmnist-resnet20', a: ['dadn', 'dlac'] },
        },
        caption:
          'A: the DLAC-recipe model; B: the float model on the same grid. The difference table shows, layer by layer, what ternary weights and the raised threshold buy DLAC.',
      },
    ],
  },
  {
    id: 'bit-level',
    title: 'Bit-level work: Stripes, Pragmatic and Laconic',
    summary: 'Potential versus realised speedup, and the lane stragglers in between.',
    steps: [
      {
        preset: 'laconic',
        state: { accels: ['dadn', 'stripes', 'pragmatic', 'laconic'], view: 'overview' },
        caption:
          'Three ways to do less than a full multiply per MAC (8-bit weights and activations): Stripes streams activation bits ({speedup:stripes}), Pragmatic only the activations’ non-zero terms ({speedup:pragmatic}), Laconic only the term pairs of both operands ({speedup:laconic}), all against DaDianNao.',
      },
      {
        state: { view: 'terms', layer: 'layers.4.conv1' },
        caption:
          'Terms in layers.4.conv1: {termsa:layers.4.conv1} per activation and {termsw:layers.4.conv1} per weight on average (booth-like encoding). Type a value into the encoding explorer to see its terms.',
      },
      {
        state: { view: 'terms', layer: 'layers.4.conv1' },
        predict: {
          question:
            'If every lane only did its own term pairs, Laconic would do {potential:laconic:layers.4.conv1} less work on layers.4.conv1 than a 16 × 16-bit multiply per MAC. What speedup over DaDianNao does it actually realise?',
          answer: '{speedup:laconic:layers.4.conv1}',
        },
        caption:
          'Potential {potential:laconic:layers.4.conv1}, realised {speedup:laconic:layers.4.conv1}: lanes that finish early wait for the slowest term pair of their step (the stragglers), and tiles re-synchronise every window group. The chart shows the gap for every layer.',
      },
      {
        state: { view: 'pe', gridAccel: 'laconic', layer: 'layers.4.conv1', cycle: 2 },
        caption:
          'Laconic’s lanes cycle by cycle: blue lanes work on term pairs, grey ones wait for the straggler of the step. Press p to play.',
      },
      {
        state: { view: 'pe', gridAccel: 'pragmatic', layer: 'layers.4.conv1', cycle: 2 },
        caption:
          'Pragmatic on the same layer: the bars above the grid show columns running ahead of the slowest one (run-ahead registers). Realised {speedup:pragmatic:layers.4.conv1}, potential {potential:pragmatic:layers.4.conv1}.',
      },
      {
        state: { view: 'overview', layer: 'layers.4.conv1' },
        caption:
          'Stripes cannot go below the activation precision ({pa:layers.4.conv1} bits here): its gain is bounded by 16 / Pa whatever the values. Per layer Laconic ranges {range:laconic}, Pragmatic {range:pragmatic}.',
      },
    ],
  },
  {
    id: 'compression',
    title: 'Compression for memory and energy: EIE and block sparsity',
    summary:
      'Pruning + weight sharing on EIE, and 16 × 16 block sparsity with 3-bit weights, layer and network.',
    steps: [
      {
        preset: 'eie',
        state: { view: 'overview', layer: 'fc' },
        caption:
          'Deep-Compression style (Han et al.): 90 % of the weights of every layer pruned, the rest shared through 4-bit codebooks. EIE runs the FC layer from compressed sparse columns on 64 PEs: {wsparsity:fc} of its weights are zero, and it is {speedup:eie:fc} faster than the same PEs dense.',
      },
      {
        state: { view: 'energy', layer: 'fc' },
        caption:
          'Memory and energy of the FC layer: EIE stores {extra:eie:fc:cscNnz} non-zeros plus {extra:eie:fc:cscPadding} padding entries (relative row index overflow) out of {weights:fc} weights, each as a 4-bit codebook index and a 4-bit row index instead of a 32-bit float.',
      },
      {
        state: { view: 'quant', layer: 'fc' },
        caption:
          'What sharing does to the FC weights: 16 shared values per layer (one reserved for zero). The histograms show the float weights and the shared values they were mapped to.',
      },
      {
        preset: 'yin-cgs',
        state: { view: 'overview', layer: 'layers.8.conv2' },
        caption:
          'Block sparsity (Yin et al.): whole 16 × 16 blocks pruned for 8× fewer weights, the kept ones 3-bit. The structure is regular, so indices are cheap; DLAC skips the zero weights for {speedup:dlac} on the network, EIE reaches {speedup:eie:fc} on the FC layer.',
      },
      {
        state: { view: 'energy' },
        caption:
          'The whole network in memory and energy: compare the weight storage per format and where the energy goes (compute, on-chip, off-chip). Estimates, not measurements: the constants and their sources are listed in the view.',
      },
      {
        state: { view: 'accuracy' },
        caption:
          'The price: top-1 accuracy {accuracy:quantized} against {accuracy:float} for the float model on {images} image(s). Yin et al. train with the block mask; here it is applied after training, so expect a loss — raise N for a steadier estimate.',
      },
      {
        state: {
          view: 'compare',
          b: {
            m: 'fmnist-resnet20',
            pe: true,
            pf: 0.9,
            se: true,
            sc: 4,
            sf: 4,
            lf: false,
            a: ['dadn', 'eie', 'dlac'],
          },
        },
        caption:
          'Side by side: A keeps 16 × 16 blocks with 3-bit weights, B prunes 90 % of single weights and shares 4-bit codebooks. The table shows cycles and speedups per layer for both, with the ratio B / A.',
      },
    ],
  },
];
