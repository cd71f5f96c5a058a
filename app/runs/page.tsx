import Link from 'next/link';
import { ARCH_LABEL, type Architecture } from '@/models/config';
import { listRuns } from '@/server/dashboard/list-runs';
import { runDisplayName } from '@/server/inference/tta';
import { defaultRecipe } from '@/server/training/describe-recipe';
import { DEFAULT_TRAIN_INPUT } from '@/server/training/train-defaults';
import { AutoRefresh } from '../components/auto-refresh';
import { EmptyState } from '../components/empty-state';
import { ProgressBar } from '../components/progress-bar';
import { TrainedEvaluationsCell } from '../components/trained-evaluations-cell';
import { fmtSeconds, pts } from '../lib/format';
import { DEFAULT_CHUNK_SIZE } from '@/server/evaluation/create-evaluation-run';
import { runPace } from '@/server/evaluation/run-pace';
import { CancelButton, StartEvaluationForm, StartTrainingForm } from './run-forms';
import { UNFINISHED_EVALUATION_STATUSES, UNFINISHED_TRAINING_STATUSES } from '@/server/run-status';

export const dynamic = 'force-dynamic';

export default async function RunsPage() {
  const { evaluations, trainings, checkpoints, datasets } = await listRuns();
  const now = new Date();
  const active =
    evaluations.some((r) => UNFINISHED_EVALUATION_STATUSES.includes(r.status)) || trainings.some((r) => UNFINISHED_TRAINING_STATUSES.includes(r.status));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Runs</h1>
      {active && <AutoRefresh intervalMs={1500} />}
      <div className="grid gap-4 md:grid-cols-2">
        <section className="card" aria-labelledby="start-eval-h">
          <h2 id="start-eval-h" className="mb-3 font-semibold">
            Start an evaluation
          </h2>
          {checkpoints.length ? (
            <StartEvaluationForm
              checkpoints={checkpoints.map((c) => ({ id: c.id, label: `${c.name} (${c.createdAt.toISOString().slice(0, 10)})` }))}
              datasets={datasets}
            />
          ) : (
            <p className="text-sm text-slate-600">
              No trained checkpoint is registered yet. Train one below or with <code>npm run cli -- train</code>.
            </p>
          )}
        </section>
        <section className="card" aria-labelledby="start-train-h">
          <h2 id="start-train-h" className="mb-3 font-semibold">
            Start a training run
          </h2>
          <StartTrainingForm defaults={defaultRecipe()} />
        </section>
      </div>

      <section className="card" aria-labelledby="eval-h">
        <h2 id="eval-h" className="mb-3 font-semibold">
          Evaluation runs
        </h2>
        {evaluations.length === 0 ? (
          <EmptyState title="No evaluation runs yet">
            Start one above; chunks of {DEFAULT_CHUNK_SIZE} images are processed by any worker sharing the database.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="table-base" aria-label="Evaluation runs">
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Data</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="w-56">
                    Progress
                  </th>
                  <th scope="col">mIoU</th>
                  <th scope="col">Backend</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {evaluations.map((r) => (
                  <tr key={r.id} data-testid="eval-run" data-status={r.status}>
                    <td>
                      <Link className="link" href={`/models/${r.checkpoint.id}`}>
                        {runDisplayName(r.checkpoint.name, r.tta)}
                      </Link>
                    </td>
                    <td>
                      {r.dataset.name} · {r.split}
                      {r.robustness && (
                        <>
                          {' '}
                          ·{' '}
                          <Link className="link" href={`/robustness?dataset=${r.dataset.name}&split=${r.split}`}>
                            robustness
                          </Link>
                        </>
                      )}
                    </td>
                    <td>
                      <StatusBadge status={r.status} />
                      {r.error && r.status === 'failed' && <p className="mt-1 max-w-xs text-xs text-red-700">{r.error}</p>}
                    </td>
                    <td>
                      <ProgressBar value={r.predictions} max={r.totalImages} label={`${runDisplayName(r.checkpoint.name, r.tta)} on ${r.dataset.name}`} />
                      <Pace status={r.status} done={r.predictions} total={r.totalImages} startedAt={r.startedAt} now={now} />
                    </td>
                    <td>
                      {r.status === 'completed' ? (
                        <Link className="link" href={`/api/runs/${r.id}`}>
                          {pts(r.miou)}
                        </Link>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td className="text-xs">
                      {r.backend ?? '—'}
                      {r.imagesPerSecond ? ` · ${r.imagesPerSecond.toFixed(1)} img/s` : ''}
                    </td>
                    <td>{UNFINISHED_EVALUATION_STATUSES.includes(r.status) && <CancelButton kind="evaluation" runId={r.id} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="train-h">
        <h2 id="train-h" className="mb-3 font-semibold">
          Training runs
        </h2>
        {trainings.length === 0 ? (
          <EmptyState title="No training runs yet">The shipped checkpoints’ training histories appear here once registered.</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <p className="mb-2 text-xs text-slate-600" data-testid="train-numbers-explained">
              Two numbers, each for what it is. <strong>Selection mIoU</strong>: the training loop&apos;s score of the best epoch on held-out training blocks
              (the selection split), frames resized to the network&apos;s {DEFAULT_TRAIN_INPUT.width}×{DEFAULT_TRAIN_INPUT.height} input; it chose the
              checkpoint. <strong>Evaluated mIoU</strong>: that checkpoint evaluated afterwards on the drive&apos;s val split and the official frames,
              predictions scored at the labels&apos; native resolution (800×600): the number the leaderboard ranks. They differ because the frames and the
              resolution differ. Every training run, with the sweeps imported from their cards, side by side:{' '}
              <Link className="link" href="/experiments">
                Experiments
              </Link>
              .
            </p>
            <table className="table-base" aria-label="Training runs">
              <thead>
                <tr>
                  <th scope="col">Architecture</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="w-56">
                    Progress
                  </th>
                  <th scope="col">Epochs</th>
                  <th scope="col">Recipe</th>
                  <th scope="col" title="Chosen in the training loop: held-out training blocks, frames resized to the network's input">
                    Selection mIoU{' '}
                    <span className="font-normal text-slate-500">
                      (selection split, {DEFAULT_TRAIN_INPUT.width}×{DEFAULT_TRAIN_INPUT.height})
                    </span>
                  </th>
                  <th scope="col" title="The checkpoint evaluated after training, as the leaderboard ranks it">
                    Evaluated mIoU <span className="font-normal text-slate-500">(native resolution)</span>
                  </th>
                  <th scope="col">Backend</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {trainings.map((r) => (
                  <tr key={r.id} data-testid="train-run">
                    <td>
                      {r.checkpoint ? (
                        <Link className="link" href={`/models/${r.checkpoint.id}`}>
                          {archLabel(r.arch)}
                        </Link>
                      ) : (
                        archLabel(r.arch)
                      )}
                    </td>
                    <td>
                      <StatusBadge status={r.status} />
                      {r.error && r.status === 'failed' && <p className="mt-1 max-w-xs text-xs text-red-700">{r.error}</p>}
                      {r.status === 'interrupted' && (
                        <p className="mt-1 max-w-xs text-xs text-amber-800">The worker stopped; it resumes from epoch {r.epochsDone + 1}.</p>
                      )}
                      {r.cancelRequested && r.keepBestOnStop && (
                        <p className="mt-1 max-w-xs text-xs text-slate-600" data-testid="train-kept-best">
                          {r.status === 'completed'
                            ? `Stopped after epoch ${r.epochsDone} of ${r.epochsTotal}; best epoch (${r.bestEpoch}) kept.`
                            : 'Stopping; the best epoch so far will be kept.'}
                        </p>
                      )}
                    </td>
                    <td>
                      <ProgressBar value={Math.round(r.progress * 1000)} max={1000} label={`training ${archLabel(r.arch)}`} />
                    </td>
                    <td>
                      {r.epochsDone}/{r.epochsTotal}
                    </td>
                    <td className="text-xs" data-testid="train-recipe">
                      {r.recipe ?? '—'}
                    </td>
                    <td data-testid="train-selection-miou">{pts(r.bestValMiou)}</td>
                    <td className="text-xs" data-testid="train-evaluations">
                      <TrainedEvaluationsCell evaluations={r.evaluations} />
                    </td>
                    <td className="text-xs">{r.backend ?? '—'}</td>
                    <td>
                      {UNFINISHED_TRAINING_STATUSES.includes(r.status) && !r.cancelRequested && (
                        <CancelButton kind="training" runId={r.id} keepBest={r.status === 'running' && r.epochsDone > 0} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

/** Live rate and time left of a running evaluation (the page refreshes while runs are active). */
function Pace({ status, done, total, startedAt, now }: { status: string; done: number; total: number; startedAt: Date | null; now: Date }) {
  const pace = status === 'running' ? runPace({ done, total, startedAt, now }) : null;
  if (!pace) return null;
  return (
    <p className="mt-1 text-xs tabular-nums text-slate-600" data-testid="eval-pace">
      {done}/{total} · {pace.imagesPerSecond.toFixed(1)} img/s · about {fmtSeconds(pace.secondsLeft)} left
    </p>
  );
}

function archLabel(arch: string): string {
  return ARCH_LABEL[arch as Architecture] ?? arch;
}

function StatusBadge({ status }: { status: string }) {
  const color: Record<string, string> = {
    completed: 'bg-green-100 text-green-800',
    running: 'bg-blue-100 text-blue-800',
    finalizing: 'bg-blue-100 text-blue-800',
    queued: 'bg-slate-100 text-slate-700',
    failed: 'bg-red-100 text-red-800',
    cancelled: 'bg-amber-100 text-amber-800',
    interrupted: 'bg-amber-100 text-amber-800',
  };
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${color[status] ?? 'bg-slate-100'}`} data-testid="status">
      {status}
    </span>
  );
}
