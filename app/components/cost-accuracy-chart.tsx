'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { CartesianGrid, ErrorBar, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, type ScatterShapeProps } from 'recharts';
import type { LeaderboardRow } from '@/server/dashboard/get-leaderboard';
import { paretoFront } from '@/server/metrics/pareto-front';
import { ci, fmtParams, pts } from '../lib/format';
import { leaderboardRowHref } from './leaderboard-table';

type CostChartRow = Pick<
  LeaderboardRow,
  'runId' | 'checkpointId' | 'name' | 'source' | 'tta' | 'miou' | 'miouLow' | 'miouHigh' | 'latencyMs' | 'params' | 'fileBytes' | 'backend'
>;

type AxisKey = 'latency' | 'params' | 'file';

/** The costs the leaderboard table already shows, read from the same row fields. */
const AXES: Record<AxisKey, { button: string; title: string; cost: (r: CostChartRow) => number | null; fmt: (v: number) => string; missing: string }> = {
  latency: {
    button: 'Latency',
    title: 'latency (ms per image)',
    cost: (r) => r.latencyMs,
    fmt: (v) => `${v.toFixed(1)} ms per image`,
    missing: 'no per-image latency recorded',
  },
  params: {
    button: 'Parameters',
    title: 'parameters',
    cost: (r) => r.params,
    fmt: (v) => `${fmtParams(v)} parameters`,
    missing: 'no parameter count',
  },
  file: {
    button: 'File size',
    title: 'model file (MB)',
    cost: (r) => (r.fileBytes === null ? null : r.fileBytes / 1024 / 1024),
    fmt: (v) => `${v.toFixed(2)} MB file`,
    missing: 'no file size (recorded for imported ONNX models and int8/fp16 variants only)',
  },
};

interface ChartPoint {
  row: CostChartRow;
  cost: number;
  /** mIoU in points, and the distances down and up to its 95% interval (none when the run has no interval). */
  value: number;
  err: [number, number] | null;
  onFront: boolean;
}

/** Rows with both an mIoU and a cost on `axis`, as points; the rest counted by why they are missing. */
function pointsFor(rows: CostChartRow[], axis: AxisKey) {
  const a = AXES[axis];
  const drawn: Omit<ChartPoint, 'onFront'>[] = [];
  const leftOut = new Map<string, number>();
  for (const row of rows) {
    const cost = a.cost(row);
    const reason = row.miou === null ? 'no mIoU' : cost === null || !Number.isFinite(cost) ? a.missing : null;
    if (reason) {
      leftOut.set(reason, (leftOut.get(reason) ?? 0) + 1);
      continue;
    }
    const miou = row.miou as number;
    const err: [number, number] | null =
      row.miouLow === null || row.miouHigh === null ? null : [+((miou - row.miouLow) * 100).toFixed(2), +((row.miouHigh - miou) * 100).toFixed(2)];
    drawn.push({ row, cost: cost as number, value: +(miou * 100).toFixed(2), err });
  }
  // The front is weighed on the unrounded mIoU, as the table ranks it.
  const front = paretoFront(drawn.map((p) => ({ p, cost: p.cost, value: p.row.miou as number }))).map((f) => f.p);
  const onFront = new Set(front.map((p) => p.row.runId));
  const points: ChartPoint[] = drawn.map((p) => ({ ...p, onFront: onFront.has(p.row.runId) }));
  return { points, front: front.map((p) => points.find((q) => q.row.runId === p.row.runId) as ChartPoint), leftOut };
}

/**
 * The cost axis: logarithmic when the costs span more than a factor of ten (parameters of a tiny and
 * a large network), linear otherwise; padded so no point sits on the frame.
 */
function xScaleFor(costs: number[]): { scale: 'log' | 'linear'; domain: [number, number]; ticks?: number[] } {
  if (costs.length === 0) return { scale: 'linear', domain: [0, 1] };
  const min = Math.min(...costs);
  const max = Math.max(...costs);
  if (min > 0 && max / min > 10) {
    const domain: [number, number] = [min / 1.25, max * 1.25];
    const ticks: number[] = [];
    for (let e = Math.floor(Math.log10(domain[0])); e <= Math.ceil(Math.log10(domain[1])); e++) {
      for (const m of [1, 2, 5]) {
        const t = m * 10 ** e;
        if (t >= domain[0] && t <= domain[1]) ticks.push(t);
      }
    }
    return { scale: 'log', domain, ticks };
  }
  const pad = max > min ? (max - min) * 0.1 : Math.abs(max) * 0.1 || 1;
  const lo = Math.max(0, min - pad);
  const hi = max + pad;
  // A round step (1, 2 or 5 × 10^k) giving about five ticks, and the domain widened to whole steps.
  const raw = (hi - lo) / 5;
  const unit = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * unit).find((s) => s >= raw) as number;
  const ticks = [+(Math.floor(lo / step) * step).toPrecision(12)];
  while ((ticks.at(-1) as number) < hi) ticks.push(+((ticks.at(-1) as number) + step).toPrecision(12));
  return { scale: 'linear', domain: [ticks[0], ticks.at(-1) as number], ticks };
}

function rowKind(r: CostChartRow): string {
  const parts = [r.source === 'trained' ? null : r.source, r.tta === 'none' ? null : 'flip-averaged'].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/**
 * mIoU (with its 95% interval) against a cost — latency per image, parameters or file size — one
 * point per leaderboard row that has that cost, with the Pareto front drawn through the rows no
 * other row beats on both. Hover names a point; click opens it as the table's row link does.
 */
export function CostAccuracyChart({ rows, height = 340 }: { rows: CostChartRow[]; height?: number }) {
  const router = useRouter();
  const [axis, setAxis] = useState<AxisKey>('latency');
  const a = AXES[axis];
  const { points, front, leftOut } = pointsFor(rows, axis);
  const drawnCount = points.length;
  const backends = [...new Set(points.map((p) => p.row.backend ?? 'unknown backend'))];
  const x = xScaleFor(points.map((p) => p.cost));
  const lows = points.map((p) => p.value - (p.err?.[0] ?? 0));
  const highs = points.map((p) => p.value + (p.err?.[1] ?? 0));
  const yDomain: [number, number] = [Math.max(0, Math.floor(Math.min(...lows)) - 2), Math.min(100, Math.ceil(Math.max(...highs)) + 2)];
  const open = (r: CostChartRow) => router.push(leaderboardRowHref(r));
  return (
    <figure aria-label={`mIoU against ${a.title}, with the Pareto front`} data-testid="cost-accuracy-chart">
      <div role="group" aria-label="Cost axis" className="mb-2 flex flex-wrap gap-1 text-sm">
        {(Object.keys(AXES) as AxisKey[]).map((k) => (
          <button
            key={k}
            type="button"
            aria-pressed={axis === k}
            className={`rounded-md border px-2.5 py-1 ${axis === k ? 'border-indigo-600 bg-indigo-600 text-white' : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-50'}`}
            onClick={() => setAxis(k)}
          >
            {AXES[k].button}
          </button>
        ))}
      </div>
      {drawnCount === 0 ? (
        <p className="rounded-lg bg-slate-50 px-3 py-6 text-center text-sm text-slate-600">No row has a {a.title} to plot.</p>
      ) : (
        <div style={{ width: '100%', height }}>
          <ResponsiveContainer>
            <ScatterChart margin={{ top: 8, right: 16, left: 0, bottom: 16 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                dataKey="cost"
                type="number"
                scale={x.scale}
                domain={x.domain}
                ticks={x.ticks}
                tick={{ fontSize: 12 }}
                tickFormatter={(v: number) => (axis === 'params' ? fmtParams(v) : String(+v.toPrecision(3)))}
                label={{ value: a.title, position: 'insideBottom', offset: -8, fontSize: 12 }}
              />
              <YAxis
                dataKey="value"
                type="number"
                domain={yDomain}
                allowDecimals={false}
                tick={{ fontSize: 12 }}
                label={{ value: 'mIoU (points)', angle: -90, position: 'insideLeft', fontSize: 12 }}
              />
              <Tooltip
                cursor={false}
                content={(props) => <PointTooltip active={props.active} payload={props.payload} fmt={a.fmt} />}
                isAnimationActive={false}
              />
              <Scatter
                name="Pareto front"
                data={front}
                isAnimationActive={false}
                shape={() => <g />}
                line={(props: { points?: { x?: number | null; y?: number | null }[] }) => (
                  <FrontLine points={props.points ?? []} names={front.map((p) => p.row.name)} />
                )}
              />
              <Scatter
                name="Leaderboard rows"
                data={points}
                isAnimationActive={false}
                shape={(s: ScatterShapeProps) => <CostPoint shape={s} fmt={a.fmt} open={open} />}
              >
                <ErrorBar dataKey="err" direction="y" width={4} strokeWidth={1} stroke="#64748b" isAnimationActive={false} />
              </Scatter>
            </ScatterChart>
          </ResponsiveContainer>
        </div>
      )}
      <figcaption className="mt-1 space-y-1 text-xs text-slate-500">
        {drawnCount > 0 && (
          <p data-testid="pareto-front-names">
            Pareto front (cheapest first): {front.map((p) => p.row.name).join(' → ')}. Filled points are on it; a hollow one is dominated: another row has at
            least its mIoU at no more {a.title}, and is better in one of the two. Whiskers: 95% bootstrap interval of mIoU. Click a point to open its model.
          </p>
        )}
        <p data-testid="pareto-left-out">
          {leftOut.size === 0
            ? `All ${rows.length} rows drawn.`
            : `${drawnCount} of ${rows.length} rows drawn; not drawn: ${[...leftOut].map(([why, n]) => `${n} ${n === 1 ? 'row' : 'rows'} with ${why}`).join('; ')}.`}
        </p>
        {axis === 'latency' && backends.length > 1 && (
          <p>Latency is the run&apos;s mean per image on its own backend ({backends.join(', ')}): it compares backends as well as models.</p>
        )}
      </figcaption>
    </figure>
  );
}

/** The front as one polyline through its points, cheapest first. */
function FrontLine({ points, names }: { points: { x?: number | null; y?: number | null }[]; names: string[] }) {
  const xy = points.filter((p) => typeof p.x === 'number' && typeof p.y === 'number') as { x: number; y: number }[];
  const d = xy.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
  return (
    <g data-testid="pareto-front" data-points={xy.length} aria-label={`Pareto front through ${names.join(', ')}`}>
      {xy.length > 1 && <path d={d} fill="none" stroke="#4f46e5" strokeWidth={2} strokeDasharray="6 3" />}
    </g>
  );
}

/** One row as a point that is a link (by role and name, reachable by keyboard and found by tests). */
function CostPoint({ shape, fmt, open }: { shape: ScatterShapeProps; fmt: (v: number) => string; open: (r: CostChartRow) => void }) {
  const p = shape.payload as ChartPoint | undefined;
  if (!p || shape.cx === undefined || shape.cy === undefined) return <g />;
  const label = `Open ${p.row.name}${rowKind(p.row)}: mIoU ${pts(p.row.miou)}${p.err ? ` ${ci(p.row.miouLow, p.row.miouHigh)}` : ''}, ${fmt(p.cost)}${p.onFront ? ', on the Pareto front' : ''}`;
  return (
    <g
      role="link"
      tabIndex={0}
      aria-label={label}
      data-testid="pareto-point"
      data-on-front={p.onFront}
      className="cursor-pointer"
      onClick={() => open(p.row)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') open(p.row);
      }}
    >
      <circle cx={shape.cx} cy={shape.cy} r={6} fill={p.onFront ? '#4f46e5' : '#ffffff'} stroke={p.onFront ? '#312e81' : '#475569'} strokeWidth={1.5} />
    </g>
  );
}

function PointTooltip({ active, payload, fmt }: { active?: boolean; payload?: readonly { payload?: unknown }[]; fmt: (v: number) => string }) {
  const p = payload?.[0]?.payload as ChartPoint | undefined;
  if (!active || !p?.row) return null;
  return (
    <div role="tooltip" className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow" data-testid="pareto-tooltip">
      <div className="font-semibold text-slate-900">
        {p.row.name}
        <span className="font-normal text-slate-500">{rowKind(p.row)}</span>
      </div>
      <div>
        mIoU {pts(p.row.miou)} <span className="text-slate-500">{ci(p.row.miouLow, p.row.miouHigh)}</span>
      </div>
      <div>{fmt(p.cost)}</div>
      {p.row.backend && <div className="text-slate-500">backend: {p.row.backend}</div>}
      <div className="text-slate-500">{p.onFront ? 'on the Pareto front' : 'dominated'}</div>
    </div>
  );
}
