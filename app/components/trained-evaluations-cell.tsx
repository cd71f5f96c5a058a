import Link from 'next/link';
import type { trainedEvaluations } from '@/server/dashboard/trained-evaluations';
import { pts } from '../lib/format';

/** A training run's checkpoint evaluated on the default targets at native resolution (Runs and Experiments pages). */
export function TrainedEvaluationsCell({ evaluations }: { evaluations: ReturnType<typeof trainedEvaluations> }) {
  if (!evaluations.some((e) => e.run)) return <>—</>;
  return (
    <ul>
      {evaluations.map((e) =>
        e.run ? (
          <li key={`${e.dataset}/${e.split}`}>
            <Link className="link" href={`/runs/${e.run.id}/quality`}>
              {e.dataset} {e.split}: {e.run.status === 'completed' ? pts(e.run.miou) : e.run.status}
            </Link>
          </li>
        ) : null,
      )}
    </ul>
  );
}
