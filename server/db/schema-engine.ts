import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';

/**
 * Prisma's schema engine compiled to WebAssembly (the native one is downloaded at
 * install time, which this project cannot rely on). Its package imports the .wasm as an
 * ES module, which Node does not support, so we instantiate it by hand.
 */
let ready: Promise<typeof bg> | null = null;

function loadSchemaEngine(): Promise<typeof bg> {
  ready ??= (async () => {
    // The engine reports Rust panics through this global.
    const g = globalThis as unknown as { PRISMA_WASM_PANIC_REGISTRY?: { message: string; set_message(m: string): void } };
    g.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: '',
      set_message(m: string) {
        this.message = `RuntimeError: ${m}`;
      },
    };
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const bytes = await readFile(path.join(dir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return ready;
}

/**
 * The SQL migration from one Prisma schema to another (`from` null = empty database),
 * as `prisma migrate diff --from-schema ... --to-schema ... --script` prints it. The
 * engine wants a reachable PostgreSQL (`databaseUrl`) for its connector; it changes nothing there.
 * Returns '' when the schemas are equivalent.
 */
export async function diffSchemas(opts: { databaseUrl: string; from: string | null; to: string }): Promise<string> {
  const engineModule = await loadSchemaEngine();
  // The engine expects Prisma's error-capturing wrapper (methods return { ok, value }).
  const adapterFactory = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: opts.databaseUrl }));
  const engine = await engineModule.SchemaEngine.new({ datamodels: undefined }, () => {}, adapterFactory);
  const target = (content: string) => ({ tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content }] });
  try {
    const result = await engine.diff({
      from: opts.from === null ? { tag: 'empty' } : target(opts.from),
      to: target(opts.to),
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    } as never);
    const sql = (result.stdout ?? '').trim();
    return /^-- This is an empty migration\.?$/.test(sql) ? '' : sql + '\n';
  } finally {
    engine.free();
  }
}
