'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';

interface Imported {
  id: string;
  name: string;
  created: boolean;
  params: number;
  gflops: number;
  inputSize: string;
  unmapped: string[];
}

/** Posts the model, its adapter and a name to /api/models; shows the refusal or the imported model. */
export function ModelImportForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Imported | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        start(async () => {
          setError(null);
          setDone(null);
          const res = await fetch('/api/models', { method: 'POST', body: form });
          const body = (await res.json()) as Imported & { message?: string };
          if (!res.ok) setError(body.message ?? `Import failed (${res.status}).`);
          else {
            setDone(body);
            router.refresh();
          }
        });
      }}
    >
      <label className="block text-sm font-medium">
        ONNX model
        <input name="file" type="file" accept=".onnx" required className="mt-1 block w-full text-sm" />
      </label>
      <label className="block text-sm font-medium">
        Adapter (JSON file)
        <input name="adapter" type="file" accept=".json,application/json" required className="mt-1 block w-full text-sm" />
      </label>
      <label className="block text-sm font-medium">
        Name
        <input name="name" type="text" required maxLength={80} className="mt-1 block w-full rounded-lg border border-slate-300 px-2 py-1 text-sm" />
      </label>
      <button className="btn" disabled={pending}>
        {pending ? 'Checking and importing…' : 'Import model'}
      </button>
      {error && (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      {done && (
        <p role="status" className="rounded-lg bg-green-50 px-3 py-2 text-sm text-green-900">
          {done.created ? 'Imported' : 'Already imported as'}{' '}
          <Link className="link" href={`/models/${done.id}`}>
            {done.name}
          </Link>
          : {done.params.toLocaleString('en-US')} params, {done.gflops.toFixed(3)} GFLOP at {done.inputSize}
          {done.unmapped.length ? `; ${done.unmapped.length} unmapped class(es) ignored: ${done.unmapped.join(', ')}` : ''}. Evaluate it from{' '}
          <Link className="link" href="/runs">
            Runs
          </Link>
          .
        </p>
      )}
    </form>
  );
}
