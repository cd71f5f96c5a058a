import Link from 'next/link';
import { listDatasets } from '@/server/dashboard/list-datasets';
import { EmptyState } from '../components/empty-state';
import { fmtInt } from '../lib/format';

export const dynamic = 'force-dynamic';

export default async function DatasetsPage() {
  const datasets = await listDatasets();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Datasets</h1>
      {datasets.length === 0 ? (
        <EmptyState title="No dataset is registered yet">
          Register a CARLA folder with <code>npm run cli -- data import &lt;dir&gt; --name mine</code>; <code>npm start</code> registers the embedded ones.
        </EmptyState>
      ) : (
        <div className="card overflow-x-auto">
          <table className="table-base" aria-label="Datasets">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Frames</th>
                <th scope="col">Train · val · test</th>
                <th scope="col">Split fingerprint</th>
                <th scope="col">Hood</th>
                <th scope="col">Label forms</th>
                <th scope="col">Evaluation runs</th>
              </tr>
            </thead>
            <tbody>
              {datasets.map((d) => (
                <tr key={d.id} data-testid="dataset-row">
                  <td>
                    <Link className="link" href={`/datasets/${d.id}`}>
                      {d.name}
                    </Link>
                  </td>
                  <td>{d.kind === 'heldout' ? 'held-out (test only)' : 'drive'}</td>
                  <td>{fmtInt(d.frames)}</td>
                  <td>
                    {fmtInt(d.splitFrames.train)} · {fmtInt(d.splitFrames.val)} · {fmtInt(d.splitFrames.test)}
                  </td>
                  <td>
                    <code>{d.splitFingerprint}</code>
                  </td>
                  <td>{d.hood === 'ignore' ? 'ignored' : 'kept'}</td>
                  <td>{Object.keys(d.labelForms).join(', ') || 'red-channel'}</td>
                  <td>{d.evaluationRuns}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
