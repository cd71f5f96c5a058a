import Link from 'next/link';
import { listImportedModels } from '@/server/dashboard/list-models';
import { EmptyState } from '../components/empty-state';
import { fmtParams, pts } from '../lib/format';
import { ModelImportForm } from './model-import-form';

export const dynamic = 'force-dynamic';

export default async function ModelsPage() {
  const models = await listImportedModels();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Models</h1>
        <p className="text-sm text-slate-600">
          Bring your own ONNX segmentation model. The adapter states its input (name, NCHW/NHWC, size, RGB/BGR, scale, mean, std), its output (name; logits,
          probabilities or a label map) and which CARLA class each of its classes counts as. The file is checked against the adapter and run once before
          anything is stored. Same as <code>npm run cli -- models import model.onnx --adapter adapter.json --name NAME</code>.
        </p>
      </div>
      <section className="card" aria-labelledby="import-h">
        <h2 id="import-h" className="mb-2 font-semibold">
          Import a model
        </h2>
        <ModelImportForm />
      </section>
      <section className="card" aria-labelledby="list-h">
        <h2 id="list-h" className="mb-2 font-semibold">
          Imported models and variants
        </h2>
        {models.length === 0 ? (
          <EmptyState title="None yet">Import one above, or make the int8/fp16 variants: npm run cli -- quantize --arch all.</EmptyState>
        ) : (
          <table className="table-base" aria-label="Imported models">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Source</th>
                <th scope="col">File</th>
                <th scope="col">Params</th>
                <th scope="col">GFLOP/img</th>
                <th scope="col">Latest mIoU</th>
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id} data-testid="imported-model">
                  <td>
                    <Link className="link font-medium" href={`/models/${m.id}`}>
                      {m.name}
                    </Link>
                  </td>
                  <td>
                    {m.source}
                    {m.parent ? ` of ${m.parent.name}` : ''}
                  </td>
                  <td>{m.fileBytes === null ? '—' : `${(m.fileBytes / 1024 / 1024).toFixed(2)} MB`}</td>
                  <td>{fmtParams(m.params)}</td>
                  <td>{m.gflops.toFixed(3)}</td>
                  <td>
                    {m.evaluationRuns[0]
                      ? `${pts(m.evaluationRuns[0].miou)} (${m.evaluationRuns[0].dataset.name} ${m.evaluationRuns[0].split})`
                      : 'not evaluated'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
