'use client';

import { useRouter } from 'next/navigation';
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis, type BarShapeProps } from 'recharts';
import { CLASSES } from '@/models/classes';

interface ChartModel {
  name: string;
  perClass: { classId: number; iou: number | null; low: number | null; high: number | null }[];
}

/** Model colours (classes own their colours; models get neutral-ish distinct ones). */
const MODEL_COLORS = ['#4f46e5', '#0d9488', '#d97706', '#db2777', '#475569'];

/** Grouped bars of per-class IoU (points) for every model, with 95% CI whiskers. Click a class to drill in. */
export function ClassIouChart({ models, height = 360 }: { models: ChartModel[]; height?: number }) {
  const router = useRouter();
  const data = CLASSES.map((c) => {
    const row: Record<string, number | string | [number, number] | null> = { name: c.name, classId: c.id };
    for (const m of models) {
      const v = m.perClass.find((p) => p.classId === c.id);
      const iou = v?.iou ?? null;
      row[m.name] = iou === null ? null : +(iou * 100).toFixed(2);
      row[`${m.name}__err`] =
        iou === null || v?.low == null || v?.high == null ? [0, 0] : [+((iou - v.low) * 100).toFixed(2), +((v.high - iou) * 100).toFixed(2)];
    }
    return row;
  });
  return (
    <figure aria-label="Per-class IoU of every model with 95% confidence intervals">
      <div style={{ width: '100%', height }}>
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 48 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" angle={-35} textAnchor="end" interval={0} height={60} tick={{ fontSize: 12 }} />
            <YAxis domain={[0, 100]} tick={{ fontSize: 12 }} label={{ value: 'IoU (points)', angle: -90, position: 'insideLeft', fontSize: 12 }} />
            <Tooltip formatter={(v) => (v === null ? '—' : `${v}`)} />
            <Legend verticalAlign="top" />
            {models.map((m, i) => (
              <Bar
                key={m.name}
                dataKey={m.name}
                fill={MODEL_COLORS[i % MODEL_COLORS.length]}
                cursor="pointer"
                isAnimationActive={false}
                shape={(bar: BarShapeProps) => <ClassBar bar={bar} model={m.name} open={(classId) => router.push(`/classes/${classId}`)} />}
              >
                <ErrorBar dataKey={`${m.name}__err`} width={3} strokeWidth={1} stroke="#0f172a" />
              </Bar>
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 text-xs text-slate-500">Click a bar to open that class. Whiskers: 95% bootstrap interval.</figcaption>
    </figure>
  );
}

/** One bar as a link (by role and name, so it can be reached by keyboard and found by tests). */
function ClassBar({ bar, model, open }: { bar: BarShapeProps; model: string; open: (classId: number) => void }) {
  const { classId, name } = bar.payload as { classId: number; name: string };
  const value = bar.payload?.[model] as number | null;
  return (
    <rect
      x={bar.x}
      y={bar.y}
      width={bar.width}
      height={bar.height}
      fill={bar.fill}
      role="link"
      tabIndex={0}
      aria-label={`Open class ${name}: ${model} IoU ${value === null ? '—' : value}`}
      onClick={() => open(classId)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') open(classId);
      }}
    />
  );
}
