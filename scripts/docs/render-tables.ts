import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { finishedCheckpointFolders } from '../../models/checkpoint-folders.ts';

/**
 * The results and performance tables of docs/, rendered from the measurements themselves:
 * bench-results/*.json (written by `npm run bench`), the sweep folders, and the shipped
 * checkpoints' card.json. Prose stays hand-written; a table lives between
 * `<!-- table:NAME -->` and `<!-- /table -->` and is only ever written by `npm run docs`.
 */

const CLASS_NAMES = [
  'Unlabeled',
  'Building',
  'Fence',
  'Other',
  'Pedestrian',
  'Pole',
  'Road line',
  'Road',
  'Sidewalk',
  'Vegetation',
  'Car',
  'Wall',
  'Traffic sign',
];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- bench files are read as written

const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8'));
const pts = (v: number | null | undefined, d = 1) => (v === null || v === undefined || Number.isNaN(v) ? '—' : (v * 100).toFixed(d));
const int = (v: number) => v.toLocaleString('en-US');
const minutes = (s: number) => `${(s / 60).toFixed(0)} min`;
const ARCH_NAMES: Record<string, string> = { unet: 'U-Net', segnet: 'SegNet', deeplabv3plus: 'DeepLabV3+' };
const archName = (a: string) => ARCH_NAMES[a] ?? a;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** One italic line under each table: where its numbers come from and the machine that measured them. */
function source(file: string, j: Json, extra = ''): string {
  const m = j.machine;
  const machine = m ? `${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}` : '';
  const date = typeof j.date === 'string' ? j.date.slice(0, 10) : '';
  return `_Source: \`${file}\`${machine ? ` — ${machine}` : ''}${date ? `, measured ${date}` : ''}${extra ? `; ${extra}` : ''}._`;
}

/**
 * The newest measurement of one bench section: `npm run bench` writes every section to
 * latest.json, `--only SECTION` writes latest-SECTION.json; whichever ran last counts.
 */
function newest(root: string, only: string, key: string): { file: string; j: Json } {
  const found = [`bench-results/latest-${only}.json`, 'bench-results/latest.json']
    .filter((f) => existsSync(path.join(root, f)))
    .map((file) => ({ file, j: readJson(path.join(root, file)) }))
    .filter(({ j }) => j[key] !== undefined)
    .sort((a, b) => String(b.j.date).localeCompare(String(a.j.date)));
  if (!found.length) throw new Error(`no bench-results file has "${key}": run npm run bench -- --only ${only}`);
  return found[0];
}

const peak = (g: Json | undefined) => (g ? `GEMM peak ${g.gflops.toFixed(1)} GFLOP/s (fp32 MatMul, n = ${g.n})` : '');

/** Every shipped checkpoint's card (each finished folder in models/checkpoints, however many), best val mIoU first. */
function cards(root: string): { arch: string; card: Json }[] {
  return finishedCheckpointFolders(path.join(root, 'models/checkpoints'))
    .map((dir) => readJson(path.join(dir, 'card.json')))
    .map((card) => ({ arch: String(card.arch), card }))
    .sort((a, b) => b.card.valMiou - a.card.valMiou);
}

/** A scratch network's width, or where an encoder network's encoder started. */
const widthOrEncoder = (card: Json) =>
  card.config.width !== undefined
    ? String(card.config.width)
    : `MobileNetV2, ${card.config.encoderInit === 'random' ? 'random init' : (card.encoder?.package ?? 'pretrained')}`;

function resultsCheckpoints(root: string): string {
  const rows = cards(root).map(({ arch, card }) => [
    card.name ?? archName(arch),
    widthOrEncoder(card),
    int(card.params),
    card.gflopsPerImage.toFixed(2),
    card.inputSize,
    `${card.bestEpoch}/${card.training.epochs}`,
    pts(card.selection?.miou),
    pts(card.valMiou),
    pts(card.officialMiou),
    minutes(card.training.wallSeconds),
    card.training.backend,
  ]);
  return [
    table(
      [
        'Model',
        'Width / encoder',
        'Params',
        'GFLOP / image',
        'Input',
        'Best epoch',
        'Selection mIoU (chose the epoch)',
        'val mIoU at input size',
        'Official frames mIoU',
        'Training wall time',
        'Engine',
      ],
      rows,
    ),
    '',
    '_Source: `models/checkpoints/<folder>/card.json` of every shipped checkpoint (written by `train`; the official-frames column by `card`, — where it has not been run)._',
  ].join('\n');
}

function resultsPerClass(root: string): string {
  const rows = cards(root).map(({ arch, card }) => [card.name ?? archName(arch), ...CLASS_NAMES.map((c) => pts(card.valPerClassIou?.[c]))]);
  return [
    table(['Model', ...CLASS_NAMES], rows),
    '',
    "_Source: `valPerClassIou` of `models/checkpoints/<folder>/card.json` (val split at the model's input size, IoU in points)._",
  ].join('\n');
}

function resultsVariants(root: string): string {
  const { file, j } = newest(root, 'variants', 'variants');
  const rows = (j.variants as Json[]).map((v) => {
    const d = v.vsFp32;
    const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(3)}`;
    return [
      v.model,
      `${(v.fileBytes / 1024).toFixed(1)} KiB`,
      v.smallerThanFp32 === 1 ? '1×' : `${v.smallerThanFp32.toFixed(2)}× smaller`,
      `${v.msPerImage.toFixed(1)} ms`,
      `${pts(v.miou, 2)} [${pts(v.miouLow, 2)}, ${pts(v.miouHigh, 2)}]`,
      d ? `${signed(d.estimate)} [${signed(d.low)}, ${signed(d.high)}], p = ${d.pValue.toFixed(2)}` : '—',
    ];
  });
  return [
    table(['Model', 'File', 'vs fp32', 'Forward pass, 256×192, batch 1', 'val mIoU (95% CI)', 'Δ mIoU vs fp32, points (paired 95% CI)'], rows),
    '',
    source(file, j),
  ].join('\n');
}

/** What a sweep run changed, read from its card (the learning rate is not recorded there: see the folder name). */
function describeRun(card: Json): string {
  const t = card.training;
  const parts = [
    `w${card.config.width}`,
    card.inputSize === t.crop ? card.inputSize : `${card.inputSize}, crops ${t.crop}`,
    `${t.epochs} ep`,
    `seed ${t.seed}`,
  ];
  parts.push(/Lovász/.test(t.lossFn) ? 'CE + Lovász' : /at least/.test(t.lossFn) ? 'CE + hard-pixel mining' : 'CE');
  const aug = String(t.augmentation);
  parts.push(/wet road/.test(aug) ? 'weather' : /gamma/.test(aug) ? 'photometric' : 'no photometric');
  if (/zoomed/.test(aug)) parts.push('random scale');
  return parts.join(' · ');
}

function sweepDirs(root: string): string[] {
  return ['bench-results/sweep-unet-6ep', 'bench-results/sweep-unet-45ep'].flatMap((d) =>
    readdirSync(path.join(root, d), { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(path.join(root, d, e.name, 'card.json')))
      .map((e) => `${d}/${e.name}`)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
  );
}

function resultsSweep(root: string): string {
  const thin = ['Pole', 'Pedestrian', 'Road line', 'Traffic sign'];
  const rows = sweepDirs(root).map((dir) => {
    const card = readJson(path.join(root, dir, 'card.json'));
    const history = readJson(path.join(root, dir, 'history.json')) as unknown as Json[];
    const best = history.find((h) => h.epoch === card.bestEpoch);
    const officialFile = path.join(root, dir, 'official-score.json');
    const official = existsSync(officialFile) ? readJson(officialFile).miou : null;
    return [
      `[${path.basename(dir)}](../${dir}/)`,
      describeRun(card),
      `${pts(card.selection.miou)} (epoch ${card.bestEpoch})`,
      best ? thin.map((c) => pts(best.valPerClassIou[CLASS_NAMES.indexOf(c)])).join(' / ') : '—',
      pts(card.valMiou),
      pts(official),
      minutes(card.training.wallSeconds),
    ];
  });
  return [
    table(
      [
        'Run (U-Net)',
        'What it trained',
        'Selection mIoU',
        'Selection: Pole / Pedestrian / Road line / Traffic sign',
        'val mIoU at input size (reported, not chosen on)',
        'Official frames (reported, not chosen on)',
        'Training wall time',
      ],
      rows,
    ),
    '',
    '_Source: `bench-results/sweep-unet-*/<run>/card.json`, its `history.json` (per-class IoU at the best epoch) and `official-score.json`._',
  ].join('\n');
}

function resultsSelectionRobustness(root: string): string {
  const file = 'bench-results/sweep-unet-6ep/selection-robustness.jsonl';
  const lines = readFileSync(path.join(root, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  const rows = lines
    .map((l) => JSON.parse(l) as Json)
    .map((r) => [r.checkpoint, pts(r.clean), pts(r.corruptedMean), pts(r.fog), pts(r.rain), pts(r['motion-blur']), pts(r.jpeg)]);
  const severity = lines.length ? (JSON.parse(lines[0]) as Json).severity : '?';
  return [
    table(['Run', 'Selection mIoU, clean', `mean under corruption (severity ${severity})`, 'fog', 'rain', 'motion blur', 'JPEG'], rows),
    '',
    `_Source: \`${file}\` (\`scripts/analysis/selection-robustness.ts\`)._`,
  ].join('\n');
}

function perfInference(root: string): string {
  const { file, j } = newest(root, 'inference', 'inference');
  const rows = [...(j.inference as Json[]), ...((j.referenceUnet as Json[]) ?? [])].map((r) => [
    String(r.checkpoint).startsWith('reference') ? `U-Net w16 256×256 (reference shape)` : archName(r.arch),
    r.backend,
    String(r.batch),
    r.gflopsPerImage.toFixed(2),
    r.msPerImage.toFixed(1),
    r.imagesPerSecond.toFixed(1),
    r.effectiveGflops.toFixed(0),
    r.percentOfPeak.toFixed(0),
  ]);
  return [
    table(['Model', 'Backend', 'Batch', 'GFLOP / image', 'ms / image', 'images / s', 'GFLOP/s', "% of the run's GEMM peak"], rows),
    '',
    source(file, j, peak(j.gemmPeak)),
  ].join('\n');
}

function perfTraining(root: string): string {
  const { file, j } = newest(root, 'training', 'training');
  const t = j.training;
  const torch = new Map<string, number>(((t.torchPeer as Json[]) ?? []).map((p) => [p.setting, p.secondsPerStep]));
  const keys: string[] = [];
  for (const r of t.rows as Json[]) if (!keys.includes(`${r.arch}|${r.setting}`)) keys.push(`${r.arch}|${r.setting}`);
  const rows = keys.map((k) => {
    const [arch, setting] = k.split('|');
    const of = (engine: string) => (t.rows as Json[]).find((r) => r.arch === arch && r.setting === setting && r.engine === engine);
    const ort = of('ort');
    const tfjs = of('tfjs');
    const ok = (r: Json | undefined) => r && typeof r.secondsPerStep === 'number';
    return [
      archName(arch),
      setting,
      ok(ort) ? ort!.secondsPerStep.toFixed(3) : '—',
      ok(ort) ? ort!.trainingGflopsPerStep.toFixed(1) : '—',
      ok(ort) ? ort!.percentOfPeak.toFixed(1) : '—',
      ok(tfjs) ? tfjs!.secondsPerStep.toFixed(2) : tfjs?.error ? 'did not run' : '—',
      ok(ort) && ok(tfjs) ? `${(tfjs!.secondsPerStep / ort!.secondsPerStep).toFixed(1)}×` : '—',
      arch === 'unet' && torch.has(setting) ? torch.get(setting)!.toFixed(3) : '',
    ];
  });
  return [
    table(
      ['Model', 'Setting', 'ORT engine s/step', 'training GFLOP/step', '% of GEMM peak', 'TF.js (wasm) s/step', 'ORT vs TF.js', 'PyTorch s/step, same cores'],
      rows,
    ),
    '',
    source(file, j, peak(t.gemmPeak)),
  ].join('\n');
}

function perfEvaluation(root: string): string {
  const { file, j } = newest(root, 'eval', 'evaluation');
  const e = j.evaluation;
  const rows = [
    [
      'Raw: the segmenter on decoded frames (resize, forward pass, labels at 800×600)',
      `${e.rawImagesPerSecond.toFixed(1)} (one batch at a time ${e.rawSequentialImagesPerSecond.toFixed(1)}, two in flight ${e.rawPipelinedImagesPerSecond.toFixed(1)})`,
      `${e.cpu.rawMsPerImage.toFixed(1)} ms`,
    ],
    [
      'End to end: decode image and label, hood mask, inference, confusion, PNG encode, upsert, finalisation',
      `${e.endToEndImagesPerSecond.toFixed(1)} (${e.percentOfRaw.toFixed(1)} % of raw)`,
      `${e.cpu.endToEndMsPerImage.toFixed(1)} ms`,
    ],
    ["The same, including the queue's pick-up of the first chunk", e.wallImagesPerSecond.toFixed(1), ''],
  ];
  return [
    table([`${archName(e.arch)}, ${e.backend}, ${e.images} frames`, 'images / s', `CPU per image (${e.cpu.cores} cores)`], rows),
    '',
    source(file, j),
  ].join('\n');
}

function perfDashboard(root: string): string {
  const { file, j } = newest(root, 'dashboard', 'dashboard');
  const rows = (j.dashboard as Json[]).map((d) => [
    d.page,
    typeof d.firstMs === 'number' ? `${d.firstMs.toFixed(0)} ms` : '—',
    `${d.p50Ms.toFixed(1)} ms`,
    `${d.p95Ms.toFixed(1)} ms`,
  ]);
  const requests = (j.dashboard as Json[])[0]?.requests;
  return [table(['Page', 'first request', 'p50', 'p95'], rows), '', source(file, j, `p50 and p95 over ${requests} requests after warm-up`)].join('\n');
}

function perfData(root: string): string {
  const { file, j } = newest(root, 'data', 'data');
  const rows = (j.data.rows as Json[]).map((r) => [r.command, int(r.frames), r.wallSeconds.toFixed(1), r.framesPerSecond.toFixed(1), String(r.peakRssMB)]);
  const ratio = j.data.rssRatio as Json;
  const extra = `peak RSS at 10× the frames over 1×: ${Object.entries(ratio)
    .map(([k, v]) => `${k} ${(v as number).toFixed(2)}`)
    .join(', ')}`;
  return [table(['command', 'frames', 'wall s', 'frames / s', 'peak RSS MB'], rows), '', source(file, j, extra)].join('\n');
}

/**
 * Runs on the pretrained encoder (decision 0007 and other architectures): the shipped U-Net ·
 * MobileNetV2 first (the baseline each rule compares with), then each run of
 * bench-results/sweep-mnv2/, with the selection split under the corruptions weather variation never
 * draws (selection-robustness.ts --set weather).
 */
function resultsPretrainedSweep(root: string): string {
  const sweep = 'bench-results/sweep-mnv2';
  const robustnessFile = `${sweep}/selection-robustness-weather.jsonl`;
  const robustness = new Map(
    readFileSync(path.join(root, robustnessFile), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Json)
      .map((r) => [String(r.checkpoint), r]),
  );
  const dirs = [
    'models/checkpoints/unet-mobilenetv2',
    ...readdirSync(path.join(root, sweep), { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(path.join(root, sweep, e.name, 'card.json')))
      .map((e) => `${sweep}/${e.name}`)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
  ];
  const rows = dirs.map((dir) => {
    const card = readJson(path.join(root, dir, 'card.json'));
    const t = card.training;
    const aug = String(t.augmentation);
    const officialFile = path.join(root, dir, 'official-score.json');
    const official = card.officialMiou ?? (existsSync(officialFile) ? readJson(officialFile).miou : null);
    const r = robustness.get(dir);
    return [
      dir.startsWith('models/') ? `shipped (${path.basename(dir)})` : `[${path.basename(dir)}](../${dir}/)`,
      [card.name, card.inputSize, `${t.epochs} ep`, `seed ${t.seed}`, /wet road/.test(aug) ? 'photometric + weather' : 'photometric'].join(' · '),
      `${pts(card.selection.miou)} (epoch ${card.bestEpoch})`,
      r ? pts(r.clean) : '—',
      r ? pts(r.corruptedMean) : '—',
      r ? ['fog', 'rain', 'motion-blur', 'jpeg'].map((c) => pts(r[c])).join(' / ') : '—',
      pts(card.valMiou),
      pts(official),
      minutes(t.wallSeconds),
    ];
  });
  return [
    table(
      [
        'Run',
        'What it trained',
        'Selection mIoU',
        'Selection, clean',
        'Selection under unseen corruptions (mean)',
        'fog 5 / rain 5 / motion blur 5 / JPEG 3',
        'val mIoU at input size (reported, not chosen on)',
        'Official frames (reported, not chosen on)',
        'Training wall time',
      ],
      rows,
    ),
    '',
    `_Source: \`card.json\` (and \`official-score.json\`) of each run, \`${robustnessFile}\` (\`scripts/analysis/selection-robustness.ts --set weather\`)._`,
  ].join('\n');
}

/** Every table `npm run docs` writes, by the name its markers carry. */
export const TABLES: Record<string, (root: string) => string> = {
  'results-checkpoints': resultsCheckpoints,
  'results-per-class': resultsPerClass,
  'results-variants': resultsVariants,
  'results-sweep': resultsSweep,
  'results-selection-robustness': resultsSelectionRobustness,
  'results-pretrained-sweep': resultsPretrainedSweep,
  'performance-inference': perfInference,
  'performance-training': perfTraining,
  'performance-evaluation': perfEvaluation,
  'performance-dashboard': perfDashboard,
  'performance-data': perfData,
};

export function renderTables(root: string): Record<string, string> {
  return Object.fromEntries(Object.entries(TABLES).map(([name, render]) => [name, render(root)]));
}

const MARKER = /<!-- table:([a-z0-9-]+) -->\n[\s\S]*?<!-- \/table -->/g;

/** The names of the tables a document holds, in order. */
export function tableNames(text: string): string[] {
  return [...text.matchAll(MARKER)].map((m) => m[1]);
}

/** The document with each marked table replaced by its rendering; an unknown name throws. */
export function applyTables(text: string, tables: Record<string, string>): string {
  return text.replace(MARKER, (_, name: string) => {
    const body = tables[name];
    if (body === undefined) throw new Error(`unknown table "${name}" (known: ${Object.keys(tables).join(', ')})`);
    return `<!-- table:${name} -->\n${body}\n<!-- /table -->`;
  });
}

/** README.md and every Markdown file under docs/, relative to root. */
export function documentFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.md') ? [`${dir}/${e.name}`] : [],
    );
  return ['README.md', ...(existsSync(path.join(root, 'docs')) ? walk('docs').sort() : [])];
}
