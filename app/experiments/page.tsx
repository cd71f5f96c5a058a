import Link from 'next/link';
import { compareExperimentRuns } from '@/server/experiments/compare-experiment-runs';
import { readExperimentChoice } from '@/server/experiments/experiment-choice';
import { diffRecipes, formatRecipeValue, RECIPE_FIELDS, SWITCH_FIELDS, type ExperimentRecipe } from '@/server/experiments/experiment-recipe';
import { getExperimentCurves } from '@/server/experiments/get-experiment-curves';
import { listExperiments, type ExperimentRun } from '@/server/experiments/list-experiments';
import type { Spread } from '@/server/metrics/spread';
import { DEFAULT_TRAIN_INPUT } from '@/server/training/train-defaults';
import { EmptyState } from '../components/empty-state';
import { TrainedEvaluationsCell } from '../components/trained-evaluations-cell';
import { ci, fmtP, fmtSeconds, pts, signedPts } from '../lib/format';
import { ExperimentCurves, RUN_COLORS } from './experiment-curves';

export const dynamic = 'force-dynamic';

/** The ingredient switches in a few words: those on, and those the run's record does not say. */
function ingredients(r: ExperimentRecipe): string {
  const on = SWITCH_FIELDS.filter((f) => r[f.key] === true).map((f) => f.label);
  const unknown = SWITCH_FIELDS.filter((f) => r[f.key] === null).map((f) => f.label);
  return `${on.length ? on.join(', ') : 'none'}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`;
}

const value = (r: ExperimentRecipe, key: keyof ExperimentRecipe) => formatRecipeValue(key, r[key]);

function spread(s: Spread | null): string {
  if (!s) return '—';
  return `${pts(s.mean)}${s.sd === null ? '' : ` ± ${pts(s.sd)}`} (${pts(s.min)}–${pts(s.max)}, n = ${s.n})`;
}

const chooseHref = (ids: string[]) => `/experiments?${ids.map((id) => `run=${encodeURIComponent(id)}`).join('&')}`;

export default async function ExperimentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const { runs, seedGroups } = await listExperiments();
  const choice = readExperimentChoice(params, new Set(runs.map((r) => r.id)));
  const chosen = choice.runIds.map((id) => runs.find((r) => r.id === id)!);
  const comparing = chosen.length >= 2;
  const [curves, paired] = comparing
    ? await Promise.all([getExperimentCurves({ runIds: choice.runIds }), compareExperimentRuns({ runs: chosen })])
    : [null, []];
  const differing = comparing ? diffRecipes(chosen.map((r) => r.recipe)) : [];
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Experiments</h1>
      <p className="max-w-4xl text-sm text-slate-600">
        Every training run with its recipe and two numbers, each for what it is: <strong>selection mIoU</strong>, the best epoch&apos;s score on held-out
        training blocks at the network&apos;s input size ({DEFAULT_TRAIN_INPUT.width}×{DEFAULT_TRAIN_INPUT.height} for the shipped recipe), which chose the
        checkpoint; and <strong>evaluated mIoU</strong>, that checkpoint evaluated afterwards at the labels&apos; native resolution, as the leaderboard ranks
        it. Runs imported from the recipe sweeps&apos; cards have no checkpoint here, so only their first number. Choose two or more runs to overlay their
        curves, see what their recipes differ in, and compare their evaluated checkpoints.
      </p>
      {choice.error && (
        <p role="alert" className="text-sm text-red-700">
          {choice.error}
        </p>
      )}

      {runs.length === 0 ? (
        <EmptyState title="No training runs yet" action={{ href: '/runs', label: 'Go to Runs' }}>
          Start one on the Runs page, or import the recipe sweeps&apos; cards with <code>npm run cli -- experiments import</code>.
        </EmptyState>
      ) : (
        <form method="get" className="card space-y-3" aria-labelledby="runs-h">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="runs-h" className="font-semibold">
              Training runs
            </h2>
            <button className="btn">Compare chosen runs</button>
          </div>
          <div className="overflow-x-auto">
            <table className="table-base [&_td]:px-2 [&_td]:text-xs [&_th]:px-2 [&_th]:text-xs" aria-label="Training runs">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="sr-only">Choose</span>
                  </th>
                  <th scope="col">Run</th>
                  <th scope="col">Status</th>
                  <th scope="col">Model</th>
                  <th scope="col">Input · crop</th>
                  <th scope="col">Epochs</th>
                  <th scope="col">Batch</th>
                  <th scope="col">Seed</th>
                  <th scope="col">Ingredients</th>
                  <th scope="col">Peak LR</th>
                  <th scope="col">Engine</th>
                  <th scope="col" title="Best epoch on held-out training blocks, frames resized to the network's input">
                    Selection mIoU
                  </th>
                  <th scope="col" title="The checkpoint evaluated after training, as the leaderboard ranks it">
                    Evaluated mIoU <span className="font-normal text-slate-500">(native)</span>
                  </th>
                  <th scope="col">Wall time</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <RunRow key={r.id} r={r} checked={choice.runIds.includes(r.id)} />
                ))}
              </tbody>
            </table>
          </div>
        </form>
      )}

      {chosen.length === 1 && <p className="text-sm text-slate-600">Choose at least one more run to compare.</p>}

      {comparing && curves && (
        <>
          <section className="card" aria-labelledby="curves-h">
            <h2 id="curves-h" className="mb-2 font-semibold">
              Curves of the chosen runs
            </h2>
            <ExperimentCurves runs={chosen.map((r) => ({ id: r.id, name: r.name, epochs: curves.get(r.id) ?? [] }))} initialClassId={choice.classId} />
          </section>

          <section className="card overflow-x-auto" aria-labelledby="diff-h">
            <h2 id="diff-h" className="mb-2 font-semibold">
              Recipe diff
            </h2>
            {differing.length ? (
              <table className="table-base text-sm" aria-label="Recipe diff">
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    {chosen.map((r, i) => (
                      <th scope="col" key={r.id} style={{ color: RUN_COLORS[i % RUN_COLORS.length] }}>
                        {r.name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {RECIPE_FIELDS.filter((f) => differing.includes(f.key)).map((f) => (
                    <tr key={f.key} data-testid="recipe-diff-row">
                      <th scope="row">{f.label}</th>
                      {chosen.map((r) => (
                        <td key={r.id}>{value(r.recipe, f.key)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="text-sm text-slate-600">The chosen runs share every field of the recipe that their records hold.</p>
            )}
            <p className="mt-2 text-xs text-slate-500">
              Only the fields that differ. &quot;unknown&quot;: the run&apos;s record does not say (a card without that field).
            </p>
          </section>

          <section className="card" aria-labelledby="paired-h">
            <h2 id="paired-h" className="mb-2 font-semibold">
              Paired comparison of the evaluated checkpoints
            </h2>
            <ul className="space-y-1 text-sm">
              {paired.map((p) => (
                <li key={`${p.b.runId}/${p.dataset}/${p.split}`} data-testid="experiment-paired">
                  <span className="font-medium">
                    {p.a.name} vs {p.b.name}
                  </span>{' '}
                  on {p.dataset} {p.split}:{' '}
                  {p.notCompared === null ? (
                    <>
                      mIoU {pts(p.a.miou)} vs {pts(p.b.miou)}
                      {p.paired
                        ? ` · paired difference ${signedPts(p.paired.difference.estimate)} points, 95% CI ${ci(p.paired.difference.low, p.paired.difference.high)}, ${fmtP(p.paired.pValue, p.paired.resamples)} over ${p.paired.images} shared images`
                        : ' · fewer than two shared images: no paired test'}{' '}
                      ·{' '}
                      <Link className="link" href={`/compare?a=${p.a.evaluationRunId}&b=${p.b.evaluationRunId}`}>
                        on the Compare page
                      </Link>
                    </>
                  ) : (
                    <span className="text-slate-600">not compared: {p.notCompared}.</span>
                  )}
                </li>
              ))}
            </ul>
            <p className="mt-2 text-xs text-slate-500">
              The first chosen run against each other one, on the images both checkpoints were evaluated on (the Compare page&apos;s paired bootstrap).
            </p>
          </section>
        </>
      )}

      <section className="card overflow-x-auto" aria-labelledby="seeds-h">
        <h2 id="seeds-h" className="mb-2 font-semibold">
          Seed groups
        </h2>
        {seedGroups.length ? (
          <table className="table-base text-xs" aria-label="Seed groups">
            <thead>
              <tr>
                <th scope="col">Shared recipe</th>
                <th scope="col">Runs (seed)</th>
                <th scope="col">Selection mIoU: mean ± sd (min–max)</th>
                {seedGroups[0].evaluated.map((t) => (
                  <th scope="col" key={`${t.dataset}/${t.split}`}>
                    Evaluated {t.dataset} {t.split}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {seedGroups.map((g) => (
                <tr key={g.runs.map((r) => r.id).join()} data-testid="seed-group">
                  <td>
                    {value(g.recipe, 'arch')} w{value(g.recipe, 'width')} · {value(g.recipe, 'input')} (crop {value(g.recipe, 'crop')}) ·{' '}
                    {value(g.recipe, 'epochs')} epochs · batch {value(g.recipe, 'batchSize')} · {ingredients(g.recipe)} · LR {value(g.recipe, 'peakLr')} ·{' '}
                    {value(g.recipe, 'engine')}
                  </td>
                  <td>
                    {g.runs.map((r) => `${r.name} (${r.seed})`).join(', ')} ·{' '}
                    <Link
                      className="link"
                      href={chooseHref(g.runs.map((r) => r.id))}
                      aria-label={`Compare the seed group ${g.runs.map((r) => r.name).join(', ')}`}
                    >
                      compare
                    </Link>
                  </td>
                  <td data-testid="seed-group-selection">{spread(g.selection)}</td>
                  {g.evaluated.map((t) => (
                    <td key={`${t.dataset}/${t.split}`}>{spread(t.spread)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="text-sm text-slate-600">No two finished runs share a recipe but for the seed.</p>
        )}
        <p className="mt-2 text-xs text-slate-500">
          Finished runs whose recipes are fully known and the same in every field but the seed; the spread is over the runs that have the number.
        </p>
      </section>
    </div>
  );
}

function RunRow({ r, checked }: { r: ExperimentRun; checked: boolean }) {
  const engine = r.recipe.engine;
  return (
    <tr data-testid="experiment-run">
      <td>
        <input type="checkbox" name="run" value={r.id} defaultChecked={checked} aria-label={`Choose ${r.name}`} />
      </td>
      <td>
        <span className="font-medium">
          {r.checkpoint ? (
            <Link className="link" href={`/models/${r.checkpoint.id}`}>
              {r.name}
            </Link>
          ) : (
            r.name
          )}
        </span>
        <div className="max-w-64 break-all text-slate-500">{r.origin ? `imported from ${r.origin}` : r.source}</div>
      </td>
      <td>{r.status}</td>
      <td className="whitespace-nowrap">
        {value(r.recipe, 'arch')} · w{value(r.recipe, 'width')}
      </td>
      <td className="whitespace-nowrap">
        {value(r.recipe, 'input')} · {value(r.recipe, 'crop')}
      </td>
      <td className="whitespace-nowrap">
        {r.epochsDone}/{value(r.recipe, 'epochs')}
        {r.bestEpoch ? `, best ${r.bestEpoch}` : ''}
      </td>
      <td>{value(r.recipe, 'batchSize')}</td>
      <td>{value(r.recipe, 'seed')}</td>
      <td className="min-w-40">{ingredients(r.recipe)}</td>
      <td>{value(r.recipe, 'peakLr')}</td>
      <td className="whitespace-nowrap" title={engine ?? undefined}>
        {engine === null ? 'unknown' : engine.split(' (')[0]}
      </td>
      <td data-testid="experiment-selection-miou">{pts(r.selectionMiou)}</td>
      <td className="whitespace-nowrap">
        <TrainedEvaluationsCell evaluations={r.evaluations} />
      </td>
      <td className="whitespace-nowrap">{fmtSeconds(r.wallSeconds)}</td>
    </tr>
  );
}
