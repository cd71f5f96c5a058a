'use client';

import { useActionState } from 'react';
import { setCostMatrixAction } from '@/app/actions/quality';

/** Edit the run's cost matrix (JSON, truth × prediction); the error is recomputed from stored counts. */
export function CostMatrixForm({ runId, costMatrix }: { runId: string; costMatrix: number[][] }) {
  const [state, action, pending] = useActionState(setCostMatrixAction, null);
  return (
    <form action={action} className="mt-2 space-y-2">
      <input type="hidden" name="runId" value={runId} />
      <label className="block text-xs font-medium">
        Cost matrix (JSON, 13 rows = true class, 13 columns = predicted class, 0 on the diagonal)
        <textarea
          name="costMatrix"
          rows={8}
          className="mt-1 w-full rounded border border-slate-300 p-1 font-mono text-xs"
          defaultValue={`[\n${costMatrix.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]`}
        />
      </label>
      <button className="btn-secondary !py-1 text-sm" disabled={pending}>
        {pending ? 'Recomputing…' : 'Recompute with this matrix'}
      </button>
      {state && !state.ok && (
        <p role="alert" className="text-sm text-red-700">
          {state.fieldErrors ? Object.values(state.fieldErrors).flat().join(' ') : state.message}
        </p>
      )}
      {state?.ok && (
        <p role="status" className="text-sm text-green-700">
          Recomputed: {state.data.error?.toFixed(3) ?? '—'}.
        </p>
      )}
    </form>
  );
}
