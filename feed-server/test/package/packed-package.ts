/**
 * The package as a user gets it: `npm pack` (which builds it: `prepack`), then installed into a plain Node
 * project with no TypeScript tooling. Used by installed-package.integration.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const REPO_DIR = fileURLToPath(new URL('../../..', import.meta.url));

/** What `npm pack --json` says of the tarball it wrote. */
export interface PackedPackage {
  /** the .tgz file */
  readonly tarball: string;
  /** the tarball's size, bytes */
  readonly sizeBytes: number;
  /** the size of its files unpacked, bytes */
  readonly unpackedBytes: number;
  /** the paths of its files, relative to the package root */
  readonly files: readonly string[];
}

interface PackJson {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { readonly path: string }[];
}

/** Packs the repository into `destDir` with `npm pack`, which runs the build (`prepack`) first. */
export function packPackage(destDir: string): PackedPackage {
  mkdirSync(destDir, { recursive: true });
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destDir], {
    cwd: REPO_DIR,
    encoding: 'utf8',
    // the build's own output (tsc, Vite) goes to the test's stderr; stdout is the JSON
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // npm prints the prepack script's banner on stdout too: the JSON is the last part
  const [pack] = JSON.parse(out.slice(out.indexOf('\n[') + 1)) as PackJson[];
  if (pack === undefined) throw new Error(`npm pack printed no package: ${out}`);
  return {
    tarball: join(destDir, pack.filename),
    sizeBytes: pack.size,
    unpackedBytes: pack.unpackedSize,
    files: pack.files.map((f) => f.path),
  };
}

interface LockEntry {
  readonly dev?: boolean;
  /** a local folder linked in (the repository's own tool packages) */
  readonly link?: boolean;
  readonly [key: string]: unknown;
}

interface Lockfile {
  readonly packages: Readonly<Record<string, LockEntry>>;
}

/**
 * Makes `projectDir` a plain Node project (`"type": "module"`, no TypeScript) that depends on the packed
 * tarball, and installs it with `npm install --offline`: no network, every tarball from the npm cache that the
 * repository's `npm ci` filled.
 *
 * `npm ci` caches the tarballs of the lockfile, not the registry's version lists that resolving a range
 * (`ws@^8.23.0`) needs, so the project gets a lockfile too: the package's own runtime dependencies, pinned
 * exactly as the repository's package-lock.json pins them (its installed entries that are not `dev`, nor links to its own folders), the versions the
 * tests ran with. A user's `npm install tickwire` resolves the same ranges against the registry instead.
 */
export function installPackage(projectDir: string, pack: PackedPackage): void {
  mkdirSync(projectDir, { recursive: true });
  const tarball = basename(pack.tarball);
  copyFileSync(pack.tarball, join(projectDir, tarball));
  const manifest = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const repoLock = JSON.parse(readFileSync(join(REPO_DIR, 'package-lock.json'), 'utf8')) as Lockfile;
  const runtime = Object.entries(repoLock.packages).filter(
    ([path, e]) => path.startsWith('node_modules/') && e.dev !== true && e.link !== true,
  );
  const dependencies = { tickwire: `file:${tarball}` };
  const project = {
    name: 'tickwire-consumer',
    version: '1.0.0',
    private: true,
    type: 'module',
    dependencies,
  };
  const lock = {
    name: project.name,
    version: project.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: project.name, version: project.version, dependencies },
      'node_modules/tickwire': {
        version: manifest.version,
        resolved: `file:${tarball}`,
        license: manifest.license,
        dependencies: manifest.dependencies,
        bin: manifest.bin,
        engines: manifest.engines,
      },
      ...Object.fromEntries(runtime),
    },
  };
  writeFileSync(join(projectDir, 'package.json'), `${JSON.stringify(project, null, 2)}\n`);
  writeFileSync(join(projectDir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund'], {
    cwd: projectDir,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
