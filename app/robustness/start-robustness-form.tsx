'use client';

import { useActionState } from 'react';
import { startRobustnessAction } from '../actions/robustness';

export function StartRobustnessForm({ datasetId, split, label }: { datasetId: string; split: string; label: string }) {
  const [state, action, pending] = useActionState(startRobustnessAction, null);
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="datasetId" value={datasetId} />
      <input type="hidden" name="split" value={split} />
      <button className="btn" disabled={pending}>
        {pending ? 'Queuing…' : `Run robustness of every model on ${label}`}
      </button>
      {state && !state.ok && (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
        </p>
      )}
      {state?.ok && (
        <p role="status" className="text-sm text-green-700">
          Queued {state.data.runIds.length} run(s); progress on Runs.
        </p>
      )}
    </form>
  );
}
