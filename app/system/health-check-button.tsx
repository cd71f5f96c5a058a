'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { requestHealthCheckAction } from '../actions/health';

export function HealthCheckButton() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <button
        className="btn"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const r = await requestHealthCheckAction();
            setError(r.ok ? null : r.message);
            router.refresh();
          })
        }
      >
        {pending ? 'Enqueuing…' : 'Run health check'}
      </button>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
