'use client';

import { CartesianGrid, ErrorBar, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

interface CurveModel {
  name: string;
  color: string;
  clean: Point;
  /** corruption → points by severity */
  corruptions: Record<string, { severity: number; point: Point }[]>;
}
interface Point {
  estimate: number | null;
  low: number | null;
  high: number | null;
}

const toPts = (v: number | null) => (v === null ? null : +(v * 100).toFixed(2));

/** One chart per corruption: mIoU (points) against severity, severity 0 being the clean frames; whiskers are the 95% CIs. */
export function RobustnessCurves({ corruptions, models }: { corruptions: { id: string; label: string; parameter: string }[]; models: CurveModel[] }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      {corruptions.map((c) => {
        const severities = [...new Set(models.flatMap((m) => (m.corruptions[c.id] ?? []).map((p) => p.severity)))].sort((a, b) => a - b);
        const data = [0, ...severities].map((s) => ({
          severity: s,
          ...Object.fromEntries(
            models.flatMap((m) => {
              const p = s === 0 ? m.clean : m.corruptions[c.id]?.find((x) => x.severity === s)?.point;
              if (!p || p.estimate === null) return [];
              const est = toPts(p.estimate)!;
              const err = p.low === null || p.high === null ? [0, 0] : [+(est - toPts(p.low)!).toFixed(2), +(toPts(p.high)! - est).toFixed(2)];
              return [
                [m.name, est],
                [`${m.name} CI`, err],
              ];
            }),
          ),
        }));
        return (
          <figure key={c.id} className="rounded-lg border border-slate-200 p-2" aria-label={`${c.label}: mIoU by severity`}>
            <figcaption className="mb-1 text-sm font-medium">
              {c.label} <span className="text-xs font-normal text-slate-500">({c.parameter})</span>
            </figcaption>
            <div style={{ width: '100%', height: 200 }}>
              <ResponsiveContainer>
                <LineChart data={data} margin={{ top: 4, right: 8, left: -16, bottom: 4 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="severity" tick={{ fontSize: 11 }} />
                  <YAxis tick={{ fontSize: 11 }} domain={[0, 100]} />
                  <Tooltip />
                  <Legend wrapperStyle={{ fontSize: 10 }} />
                  {models.map((m) => (
                    <Line key={m.name} type="monotone" dataKey={m.name} stroke={m.color} strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false}>
                      <ErrorBar dataKey={`${m.name} CI`} width={3} stroke={m.color} />
                    </Line>
                  ))}
                </LineChart>
              </ResponsiveContainer>
            </div>
          </figure>
        );
      })}
    </div>
  );
}
