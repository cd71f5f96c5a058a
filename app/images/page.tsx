import Link from 'next/link';
import { ClassOptions } from '../components/class-options';
import { listImages } from '@/server/dashboard/list-images';
import { DatasetTabs, parseTarget } from '../components/dataset-tabs';
import { EmptyState } from '../components/empty-state';
import { pts } from '../lib/format';

export const dynamic = 'force-dynamic';

export default async function ImagesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const target = parseTarget(sp);
  const classId = typeof sp.class === 'string' && sp.class !== '' ? Number(sp.class) : undefined;
  const sort = sp.sort === 'best' || sp.sort === 'name' ? sp.sort : 'worst';
  const { models, images } = await listImages({
    datasetName: target.dataset,
    split: target.split,
    classId: Number.isInteger(classId) ? classId : undefined,
    sort,
  });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Images</h1>
      <DatasetTabs base="/images" dataset={target.dataset} split={target.split} />
      <form className="flex flex-wrap items-end gap-3 text-sm" method="get">
        <input type="hidden" name="dataset" value={target.dataset} />
        <input type="hidden" name="split" value={target.split} />
        <label className="font-medium">
          Class present
          <select name="class" defaultValue={classId ?? ''} className="mt-1 block rounded-lg border border-slate-300 px-2 py-1.5">
            <option value="">any</option>
            <ClassOptions />
          </select>
        </label>
        <label className="font-medium">
          Sort
          <select name="sort" defaultValue={sort} className="mt-1 block rounded-lg border border-slate-300 px-2 py-1.5">
            <option value="worst">worst first (mean per-image mIoU)</option>
            <option value="best">best first</option>
            <option value="name">by frame</option>
          </select>
        </label>
        <button className="btn-secondary">Apply</button>
      </form>
      {models.length === 0 ? (
        <EmptyState title="No completed evaluation on this split" action={{ href: '/runs', label: 'Start an evaluation' }}>
          Per-image scores appear once a model has been evaluated here.
        </EmptyState>
      ) : (
        <div className="card overflow-x-auto">
          <p className="mb-2 text-xs text-slate-500">
            Per-image mIoU (mean over classes present in that image’s truth or prediction) — not the leaderboard’s dataset-level number. {images.length} images.
          </p>
          <table className="table-base" aria-label="Per-image mIoU per model">
            <thead>
              <tr>
                <th scope="col">Frame</th>
                {models.map((m) => (
                  <th key={m.runId} scope="col">
                    {m.name}
                  </th>
                ))}
                <th scope="col">Mean</th>
              </tr>
            </thead>
            <tbody>
              {images.map((img) => (
                <tr key={img.id} data-testid="image-row">
                  <td>
                    <Link className="link" href={`/images/${img.id}`}>
                      {img.key}
                    </Link>
                  </td>
                  {img.scores.map((s, i) => (
                    <td key={i}>{pts(s)}</td>
                  ))}
                  <td className="font-semibold">{pts(img.mean)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
