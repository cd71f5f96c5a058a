import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CLASSES } from '@/models/classes';
import { getModelPage } from '@/server/dashboard/get-model-page';
import { isAppError } from '@/server/errors';
import { ClassSwatch } from '../../components/class-swatch';
import { ConfusionHeatmap } from '../../components/confusion-heatmap';
import { EmptyState } from '../../components/empty-state';
import { TrainingCurves } from '../../components/training-curves';
import { ci, fmtInt, fmtParams, fmtSeconds, pts } from '../../lib/format';

export const dynamic = 'force-dynamic';

export default async function ModelPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ run?: string }> }) {
  const { id } = await params;
  const { run: runParam } = await searchParams;
  const ck = await getModelPage({ checkpointId: id }).catch((e) => {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  });
  const { card, importedCard, adapter } = ck;
  const completed = ck.evaluationRuns.filter((r) => r.status === 'completed');
  // Default to the leaderboard's main split (a drive's val), else the newest completed run.
  const run = completed.find((r) => r.id === runParam) ?? completed.find((r) => r.split === 'val') ?? completed[0];
  const training = ck.trainingRuns[0];
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link className="link" href="/">
            Leaderboard
          </Link>{' '}
          / model
        </p>
        <h1 className="text-2xl font-bold">{ck.name}</h1>
        <p className="text-sm text-slate-600">
          weights sha256 {ck.weightsSha256.slice(0, 16)}… · {ck.dir}
        </p>
      </div>

      {card && (
        <section className="card" aria-labelledby="card-h">
          <h2 id="card-h" className="mb-2 font-semibold">
            Model card
          </h2>
          <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
            <Item k="Architecture" v={ck.arch} />
            <Item k="Parameters" v={`${fmtParams(ck.params)} (${fmtInt(ck.params)})`} />
            <Item k="GFLOP / image" v={`${ck.gflops.toFixed(2)} at ${card.inputSize}`} />
            <Item k="Config" v={JSON.stringify(ck.config)} mono />
            <Item
              k="Best epoch"
              v={
                card.selection
                  ? `${card.bestEpoch} of ${card.training.epochs}, chosen on the selection split (${card.selection.frames} held-out training frames, mIoU ${pts(card.selection.miou)})`
                  : `${card.bestEpoch} of ${card.training.epochs}`
              }
            />
            <Item k="Val mIoU (training-time, 256×192)" v={pts(card.valMiou)} />
            <Item k="Official frames mIoU" v={card.officialMiou == null ? 'see leaderboard (official tab)' : pts(card.officialMiou)} />
            <Item k="Training wall time" v={`${fmtSeconds(card.training.wallSeconds)} on ${card.training.backend}`} />
            <Item k="Optimiser" v={card.training.optimizer} />
            <Item k="Loss" v={card.training.lossFn} />
            <Item
              k="Data"
              v={`${card.dataset.root} · ${card.dataset.trainFrames} train / ${card.dataset.valFrames} val · split ${card.dataset.splitFingerprint}`}
            />
            <Item k="Seed · crop · batch" v={`${card.training.seed} · ${card.training.crop} · ${card.training.batchSize}`} />
            {card.training.augmentation && <Item k="Augmentation" v={card.training.augmentation} />}
          </dl>
        </section>
      )}
      {importedCard && adapter && (
        <section className="card" aria-labelledby="card-h">
          <h2 id="card-h" className="mb-2 font-semibold">
            Model card ({importedCard.source === 'imported' ? 'imported ONNX model' : `${importedCard.source} variant`})
          </h2>
          <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
            <Item k="Source" v={`${importedCard.fileName ?? 'file'} · ${importedCard.producer ?? 'unknown exporter'} · opset ${importedCard.opset}`} />
            <Item
              k="File"
              v={`${ck.fileBytes === null ? '—' : `${(ck.fileBytes / 1024 / 1024).toFixed(2)} MB`} · sha256 ${importedCard.fileSha256.slice(0, 16)}…`}
            />
            <Item k="Parameters" v={`${fmtParams(ck.params)} (${fmtInt(ck.params)})`} />
            <Item k="GFLOP / image" v={`${ck.gflops.toFixed(2)} at ${importedCard.inputSize}`} />
            <Item
              k="Input"
              v={`${adapter.input.name} · ${adapter.input.layout} · ${adapter.input.colorOrder} · ${adapter.input.size === 'any' ? 'any size' : `${adapter.input.size.width}×${adapter.input.size.height}`}`}
            />
            <Item
              k="Normalisation"
              v={`(pixel × ${adapter.input.normalize.scale} − [${adapter.input.normalize.mean.join(', ')}]) / [${adapter.input.normalize.std.join(', ')}]`}
              mono
            />
            <Item k="Output" v={`${adapter.output.name} · ${adapter.output.kind} · ${adapter.classes.length} classes`} />
            <Item
              k="Unmapped classes (ignored)"
              v={importedCard.unmappedClasses.length ? `${importedCard.unmappedClasses.length}: ${importedCard.unmappedClasses.join(', ')}` : 'none'}
            />
          </dl>
        </section>
      )}

      <section className="card" aria-labelledby="curves-h">
        <h2 id="curves-h" className="mb-2 font-semibold">
          Training curves
        </h2>
        {card?.selection && (
          <p className="mb-2 text-xs text-slate-500">Per-epoch scores are on the selection split; val is evaluated once, on the chosen epoch.</p>
        )}
        {training?.epochs.length ? (
          <TrainingCurves
            epochs={training.epochs.map((e) => ({
              epoch: e.epoch,
              trainLoss: e.trainLoss,
              valLoss: e.valLoss,
              valMiou: e.valMiou,
              perClassIou: e.perClassIou,
            }))}
          />
        ) : (
          <EmptyState title="No training history recorded">This checkpoint was registered without per-epoch history.</EmptyState>
        )}
      </section>

      {run ? (
        <>
          <section className="card" aria-labelledby="classes-h">
            <h2 id="classes-h" className="mb-1 font-semibold">
              Per-class metrics
            </h2>
            <p className="mb-2 text-sm text-slate-600">
              {run.dataset.name} · {run.split} · mIoU {pts(run.miou)} {ci(run.metrics?.miouLow ?? null, run.metrics?.miouHigh ?? null)} · {run.backend}
            </p>
            <div className="overflow-x-auto">
              <table className="table-base" aria-label="Per-class metrics">
                <thead>
                  <tr>
                    <th scope="col">Class</th>
                    <th scope="col">IoU</th>
                    <th scope="col">95% CI</th>
                    <th scope="col">Precision</th>
                    <th scope="col">Recall</th>
                    <th scope="col">Dice</th>
                    <th scope="col">Support (px)</th>
                  </tr>
                </thead>
                <tbody>
                  {run.classMetrics.map((c) => (
                    <tr key={c.classId}>
                      <td>
                        <Link className="link" href={`/classes/${c.classId}`}>
                          <ClassSwatch classId={c.classId} />
                        </Link>
                      </td>
                      <td className="font-semibold">{pts(c.iou)}</td>
                      <td className="text-xs text-slate-500">{ci(c.iouLow, c.iouHigh)}</td>
                      <td>{pts(c.precision)}</td>
                      <td>{pts(c.recall)}</td>
                      <td>{pts(c.dice)}</td>
                      <td>{fmtInt(c.support)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section className="card" aria-labelledby="cm-h">
            <h2 id="cm-h" className="mb-2 font-semibold">
              Confusion matrix
            </h2>
            {run.confusion && (
              <>
                <p className="mb-2 text-xs text-slate-500">Click a cell off the diagonal to see the images where that confusion is largest.</p>
                <ConfusionHeatmap matrix={run.confusion} cellHref={`/models/${id}/confusion?run=${run.id}`} />
              </>
            )}
          </section>
        </>
      ) : (
        <EmptyState title="Not evaluated yet" action={{ href: '/runs', label: 'Start an evaluation' }}>
          Per-class metrics and the confusion matrix appear once an evaluation of this checkpoint completes.
        </EmptyState>
      )}

      <section className="card" aria-labelledby="runs-h">
        <h2 id="runs-h" className="mb-2 font-semibold">
          Evaluation runs
        </h2>
        <ul className="space-y-1 text-sm">
          {ck.evaluationRuns.map((r) => (
            <li key={r.id}>
              {r.status === 'completed' ? (
                <Link className="link" href={`/models/${ck.id}?run=${r.id}`}>
                  {r.dataset.name} · {r.split}
                </Link>
              ) : (
                `${r.dataset.name} · ${r.split}`
              )}{' '}
              — {r.status}
              {r.miou !== null && ` · mIoU ${pts(r.miou)}`} · {r.createdAt.toISOString().slice(0, 16).replace('T', ' ')}
            </li>
          ))}
          {ck.evaluationRuns.length === 0 && <li className="text-slate-500">None yet.</li>}
        </ul>
      </section>
      <p className="text-xs text-slate-500">Classes: {CLASSES.length}. Colours are shared by every view.</p>
    </div>
  );
}

function Item({ k, v, mono }: { k: string; v: string; mono?: boolean }) {
  return (
    <div>
      <dt className="text-slate-500">{k}</dt>
      <dd className={mono ? 'break-all font-mono text-xs' : ''}>{v}</dd>
    </div>
  );
}
