'use client';

import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CLASSES } from '@/models/classes';
import { ClassOptions } from '../components/class-options';

/** One line colour per chosen run, in the order they were chosen. */
export const RUN_COLORS = ['#4f46e5', '#d97706', '#0d9488', '#db2777', '#65a30d', '#0284c7', '#9333ea', '#dc2626'];

interface CurveRun {
  id: string;
  name: string;
  epochs: { epoch: number; trainLoss: number; valLoss: number; valMiou: number; perClassIou: (number | null)[] }[];
}

type Series = { key: string; name: string; color: string; dashed?: boolean; value: (e: CurveRun['epochs'][number]) => number | null };

function Chart({ label, runs, series, percent }: { label: string; runs: CurveRun[]; series: Series[][]; percent: boolean }) {
  const epochs = [...new Set(runs.flatMap((r) => r.epochs.map((e) => e.epoch)))].sort((a, b) => a - b);
  const data = epochs.map((epoch) => {
    const row: Record<string, number | null> = { epoch };
    runs.forEach((r, i) => {
      const e = r.epochs.find((x) => x.epoch === epoch);
      for (const s of series[i]) {
        const v = e ? s.value(e) : null;
        row[s.key] = v === null ? null : percent ? +(v * 100).toFixed(2) : +v.toFixed(4);
      }
    });
    return row;
  });
  return (
    <figure aria-label={label} className="min-w-0">
      <figcaption className="mb-1 text-sm font-medium">{label}</figcaption>
      <div style={{ width: '100%', height: 260 }}>
        <ResponsiveContainer>
          <LineChart data={data} margin={{ top: 8, right: 16, left: 0, bottom: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="epoch" tick={{ fontSize: 12 }} label={{ value: 'epoch', position: 'insideBottomRight', offset: -4, fontSize: 12 }} />
            <YAxis tick={{ fontSize: 12 }} domain={['auto', 'auto']} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {series.flat().map((s) => (
              <Line
                key={s.key}
                type="monotone"
                dataKey={s.key}
                name={s.name}
                stroke={s.color}
                strokeDasharray={s.dashed ? '5 3' : undefined}
                dot={false}
                strokeWidth={2}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/**
 * The chosen runs' per-epoch curves overlaid, one chart per quantity: loss (training and
 * selection split), selection mIoU, and one class's IoU (the class lives in the URL, like the runs).
 */
export function ExperimentCurves({ runs, initialClassId }: { runs: CurveRun[]; initialClassId: number }) {
  const [classId, setClassId] = useState(initialClassId);
  const recorded = runs.filter((r) => r.epochs.length);
  const color = (r: CurveRun) => RUN_COLORS[runs.indexOf(r) % RUN_COLORS.length];
  const choose = (id: number) => {
    setClassId(id);
    const url = new URL(window.location.href);
    url.searchParams.set('class', CLASSES[id].name);
    window.history.replaceState(null, '', url);
  };
  return (
    <div className="space-y-4">
      {runs
        .filter((r) => !r.epochs.length)
        .map((r) => (
          <p key={r.id} className="text-sm text-slate-600">
            {r.name}: no per-epoch history recorded, so it has no curves.
          </p>
        ))}
      <div className="grid gap-4 lg:grid-cols-2">
        <Chart
          label="Loss per epoch"
          runs={recorded}
          percent={false}
          series={recorded.map((r) => [
            { key: `${r.id}:train`, name: `${r.name} · training`, color: color(r), value: (e) => e.trainLoss },
            { key: `${r.id}:selection`, name: `${r.name} · selection split`, color: color(r), dashed: true, value: (e) => e.valLoss },
          ])}
        />
        <Chart
          label="Selection mIoU per epoch"
          runs={recorded}
          percent
          series={recorded.map((r) => [{ key: `${r.id}:miou`, name: r.name, color: color(r), value: (e) => e.valMiou }])}
        />
      </div>
      <div>
        <label className="text-sm font-medium">
          Class{' '}
          <select className="ml-1 rounded-lg border border-slate-300 px-2 py-1" value={classId} onChange={(e) => choose(Number(e.target.value))}>
            <ClassOptions />
          </select>
        </label>
        <Chart
          label={`${CLASSES[classId].name} IoU per epoch`}
          runs={recorded}
          percent
          series={recorded.map((r) => [{ key: `${r.id}:class`, name: r.name, color: color(r), value: (e) => e.perClassIou[classId] ?? null }])}
        />
        <p className="text-xs text-slate-500">
          On the selection split at the network&apos;s input size; a gap is an epoch where the class was in neither truth nor prediction (its IoU is undefined).
        </p>
      </div>
    </div>
  );
}
