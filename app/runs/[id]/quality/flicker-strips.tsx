import Link from 'next/link';
import { CLASSES } from '@/models/classes';
import type { RunQualitySummary } from '@/server/schemas/quality';
import { ClassSwatch } from '../../../components/class-swatch';
import { pts } from '../../../lib/format';

type Segment = NonNullable<Extract<RunQualitySummary['temporal'], { available: true }>['segments']>[number];

const THUMB_W = 200;

/** One segment as a strip of its consecutive frames: the model's mask with the flickering pixels in magenta, each frame opening the image viewer. */
function Strip({ runId, segment }: { runId: string; segment: Segment }) {
  const { frames, classId } = segment;
  const first = frames[0].key;
  const last = frames.at(-1)!.key;
  return (
    <li className="rounded border border-slate-200 p-2 text-xs" aria-label={`frames ${first} to ${last}`}>
      <div className="flex flex-wrap gap-1">
        {frames.map((f, i) => {
          const q = new URLSearchParams({ image: f.imageId, w: String(THUMB_W) });
          if (i > 0) q.set('prev', frames[i - 1].imageId);
          if (i < frames.length - 1) q.set('next', frames[i + 1].imageId);
          if (classId !== null) q.set('class', String(classId));
          return (
            <Link key={f.imageId} href={`/images/${f.imageId}`} className="link" data-testid="flicker-frame">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img
                src={`/api/runs/${runId}/flicker?${q}`}
                alt={`frame ${f.key}: flickering pixels`}
                width={THUMB_W}
                height={150}
                loading="lazy"
                className="rounded"
              />
              {f.key}
            </Link>
          );
        })}
      </div>
      {classId !== null && <ClassSwatch classId={classId} />} flicker {pts(segment.flicker)} % of the stable{' '}
      {classId !== null ? `${CLASSES[classId].name.toLowerCase()} ` : ''}pixels · truth changes {pts(segment.gtChange)} %
    </li>
  );
}

/**
 * The worst flickering runs of consecutive frames, overall and (folded) per class: each frame is
 * the model's mask with the pixels whose label changes against the strip's neighbouring frames
 * where the truth stays, in magenta.
 */
export function FlickerStrips({ runId, segments }: { runId: string; segments: readonly Segment[] }) {
  const overall = segments.filter((s) => s.classId === null);
  const perClass = segments.filter((s) => s.classId !== null).sort((a, b) => b.flicker - a.flicker);
  return (
    <>
      <h3 className="mt-3 text-sm font-medium">Worst flickering segments</h3>
      <p className="text-xs text-slate-600">
        Runs of {overall[0]?.frames.length ?? 4} consecutive frames with the most flicker, no two sharing a frame. Each frame: the model&apos;s mask, darkened,
        with its pixels that change label against the frames beside it in the strip while the truth stays, in magenta. A frame opens the image viewer.
      </p>
      <ul className="mt-1 flex flex-col gap-3" aria-label="Worst flickering segments">
        {overall.map((s) => (
          <Strip key={s.frames[0].imageId} runId={runId} segment={s} />
        ))}
      </ul>
      {perClass.length > 0 && (
        <details className="mt-3">
          <summary className="cursor-pointer text-sm font-medium">
            Worst segment per class ({perClass.length} classes with enough pixels whose truth stays put to judge)
          </summary>
          <ul className="mt-1 flex flex-col gap-3" aria-label="Worst flickering segment per class">
            {perClass.map((s) => (
              <Strip key={s.classId} runId={runId} segment={s} />
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
